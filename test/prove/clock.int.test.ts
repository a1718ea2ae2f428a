import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clockCampaign } from '../../prove/clock/clockCampaign.ts';
import { testPostgresUrl } from '../harness/postgres.ts';

// The short form of `npm run prove -- --campaign clock` (docs/reliability.md#clock-faults):
// the gateway's clock back an hour, forward a day and back in step, a monitor's clock at 1970.
const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-clock-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the clock campaign, short form', () => {
  it("keeps seq, chain and alert episodes right through the gateway's clock jumps, and the hub's offsets show them", {
    timeout: 360_000,
  }, async () => {
    // The run's PostgreSQL (test/globalSetup/postgres.ts) instead of a server of the campaign's own.
    process.env.POSTGRES_URL = testPostgresUrl();
    const lines: string[] = [];
    const report = await clockCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 1,
      hours: undefined,
      workDir,
      progress: (line) => {
        lines.push(line);
        process.stderr.write(`prove clock: ${line}\n`);
      },
    });
    const context = `${JSON.stringify(report, null, 1)}\n${lines.join('\n')}`;
    expect(report.violations, context).toEqual([]);
    expect(report.rounds).toBe(3);
    expect(report.figures.backwardJumps, context).toBe(2);
    // One episode before the jumps and one after each, each raised and resolved by the true-time reading.
    expect(report.figures.episodesRaisedAndResolved, context).toBe(4);
    // Two readings per episode came with a 1970 clock, all flagged.
    expect(report.figures.implausibleClockReadings, context).toBeGreaterThanOrEqual(12);
    expect(report.figures.hubClockOffsetMaxMs, context).toBeGreaterThan(3_500_000);
    expect(report.figures.hubClockOffsetMinMs, context).toBeLessThan(-86_000_000);
    expect(report.figures.eventsAtHub, context).toBe(report.figures.eventsInGatewayLog);
  });
});
