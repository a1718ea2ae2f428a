import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkCampaign } from '../../prove/link/linkCampaign.ts';
import { testPostgresUrl } from '../harness/postgres.ts';

// The short form of `npm run prove -- --campaign link` (docs/reliability.md#link-campaign):
// one of each fault between a gateway process and a Kafka broker of its own, the hub consuming.
const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-link-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the link campaign, short form', () => {
  it('meets a cut, a stall, a slow link, a lost produce ack and a broker restart, and the hub ends up with the log exactly once', {
    timeout: 360_000,
  }, async () => {
    // The run's PostgreSQL (test/globalSetup/postgres.ts) instead of a server of the campaign's own.
    process.env.POSTGRES_URL = testPostgresUrl();
    const lines: string[] = [];
    const report = await linkCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 20261207,
      hours: undefined,
      workDir,
      progress: (line) => {
        lines.push(line);
        process.stderr.write(`prove link: ${line}\n`);
      },
    });
    const context = `${JSON.stringify(report, null, 1)}\n${lines.join('\n')}`;
    expect(report.violations, context).toEqual([]);
    expect(report.rounds).toBe(5);
    for (const kind of ['cuts', 'stalls', 'slows', 'lost-acks', 'broker-restarts'])
      expect(report.figures[kind], `${kind}\n${context}`).toBe(1);
    // The lost acknowledgement did make the gateway send again: a duplicate reached Kafka.
    expect(report.figures.lostAcksThatFailedASend, context).toBe(1);
    expect(report.figures.duplicatesOnKafka, context).toBeGreaterThan(0);
    // Devices published throughout, and the hub stored what the gateway logged.
    expect(report.figures.readingsPubacked, context).toBeGreaterThan(100);
    expect(report.figures.eventsAtHub, context).toBe(report.figures.eventsInGatewayLog);
  });
});
