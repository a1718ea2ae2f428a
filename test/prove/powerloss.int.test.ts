import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgedNotStoredOnce } from '../../prove/crash/crashInvariants.ts';
import { powerlossCampaign } from '../../prove/powerloss/powerlossCampaign.ts';

// The power-loss simulation of docs/reliability.md#power-loss-simulation in its short
// form: a few power cuts under a gateway that monitors publish to, on a loop-mounted
// ext4 whose image keeps only what was synced. It needs root (losetup, mount): without
// it the campaign fails with a message that says so; it is never skipped.

const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-powerloss-test-'));
const writebackBefore = readFileSync('/proc/sys/vm/dirty_writeback_centisecs', 'utf8');
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the power-loss simulation, short form', () => {
  it('cuts the power at random moments and finds every PUBACKed reading on the disk, the chain whole', async () => {
    const report = await powerlossCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 15,
      hours: undefined,
      workDir,
      progress: () => undefined,
    });
    const context = JSON.stringify(report, null, 1);
    expect(report.violations, context).toEqual([]);
    expect(report.rounds, context).toBeGreaterThanOrEqual(3);
    const figures = report.figures as Record<string, number>;
    expect(figures.pubacks, context).toBeGreaterThan(0);
    // The cut is real: a file written without fsync just before each cut is gone after it.
    expect(figures.unsyncedWritesSurvived, context).toBe(0);
    // The kernel's writeback settings are as the campaign found them.
    expect(readFileSync('/proc/sys/vm/dirty_writeback_centisecs', 'utf8')).toBe(writebackBefore);
  }, 600_000);
});

describe('the power-loss simulation checks what it finds', () => {
  it('reports a reading PUBACKed and missing from the disk as a violation', () => {
    const none = new Set<string>();
    expect(
      acknowledgedNotStoredOnce(
        {
          mqtt: new Set(['powerloss-monitor-1/vitals#9']),
          http: none,
          admission: none,
          astm: none,
          hl7: none,
        },
        { mqtt: new Map(), http: new Map(), admission: new Map(), astm: new Map(), hl7: new Map() },
      ),
    ).toEqual(['mqtt powerloss-monitor-1/vitals#9 acknowledged but stored 0 times']);
  });
});
