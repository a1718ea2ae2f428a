import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { crashCampaign } from '../../prove/crash/crashCampaign.ts';

// The crash campaign of docs/reliability.md#crash-campaign in its short form: a few
// SIGKILLs of a real gateway process under a ward of load, and one kill each during
// backup, restore and reencrypt. It must find nothing broken, and show the work happened.

const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-crash-test-'));
const brokersBefore = process.env.KAFKA_BROKERS;
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  if (brokersBefore === undefined) delete process.env.KAFKA_BROKERS;
  else process.env.KAFKA_BROKERS = brokersBefore;
});

describe('the crash campaign, short form', () => {
  it('kills the gateway at random moments and finds every acknowledged fact stored once, chain and read models whole', async () => {
    // The test run's broker (test/globalSetup/kafka.ts): the campaign starts none of its own.
    process.env.KAFKA_BROKERS = inject('kafkaBrokers');
    const report = await crashCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 15,
      hours: undefined,
      workDir,
      progress: () => undefined,
    });
    const context = JSON.stringify(report, null, 1);
    expect(report.violations, context).toEqual([]);
    expect(report.rounds, context).toBeGreaterThanOrEqual(5);
    const figures = report.figures as Record<string, number>;
    expect(figures.pubacks, context).toBeGreaterThan(0);
    expect(figures.events, context).toBeGreaterThan(figures.pubacks!);
    expect(figures.replays, context).toBe(report.rounds);
    expect(figures.kafkaRecords, context).toBeGreaterThanOrEqual(figures.events!);
    for (const command of ['backupKills', 'restoreKills', 'reencryptKills'])
      expect(figures[command], `${command}\n${context}`).toBeGreaterThanOrEqual(1);
  }, 900_000);
});
