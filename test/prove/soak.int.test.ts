import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soakCampaign } from '../../prove/soak/soakCampaign.ts';
import { testKafkaBrokers } from '../harness/kafka.ts';

// The soak's short form (docs/reliability.md#soak): two and a half minutes of the 100-bed ward,
// a sample every 15 s, the trend checked after the first third, on the test run's Kafka.
const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-soak-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the soak, short form', () => {
  it('keeps every figure flat while the ward publishes, alerts are acknowledged and events sync', async () => {
    process.env.KAFKA_BROKERS = testKafkaBrokers().join(',');
    const report = await soakCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 15,
      hours: undefined,
      workDir,
      progress: () => undefined,
    });
    expect(report.violations).toEqual([]);
    const { figures } = report;
    expect(report.rounds).toBeGreaterThanOrEqual(8);
    // 100 beds at one reading a second for over two minutes.
    expect(figures.readingsAcknowledged).toBeGreaterThan(100 * 100);
    expect(figures.alertsTimed).toBeGreaterThan(0);
    expect(figures.admissions).toBeGreaterThan(0);
    expect(figures.syncedEvents).toBeGreaterThan(0);
  }, 600_000);
});
