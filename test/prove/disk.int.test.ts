import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgedNotStoredOnce } from '../../prove/crash/crashInvariants.ts';
import { diskCampaign } from '../../prove/disk/diskCampaign.ts';

// The disk campaign of docs/reliability.md#disk-campaign in its short form: one fill and
// drain cycle of a loop-mounted 256 MB ext4 under the gateway, then one ENOSPC and one EIO
// in the middle of its commits. It needs root (losetup, mount) and a C compiler (the
// fault shim): without them the campaign fails with a message that says so; it is never skipped.

const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-disk-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the disk campaign, short form', () => {
  it('refuses telemetry on a full disk, takes critical readings and clinician actions, survives failed commits and loses nothing acknowledged', async () => {
    const report = await diskCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 15,
      hours: undefined,
      workDir,
      progress: () => undefined,
    });
    const context = JSON.stringify(report, null, 1);
    expect(report.violations, context).toEqual([]);
    const figures = report.figures as Record<string, number>;
    expect(figures.fillCycles, context).toBeGreaterThanOrEqual(1);
    expect(figures.telemetryRefusals, context).toBeGreaterThan(0);
    expect(figures.criticalReadingsTaken, context).toBeGreaterThanOrEqual(2);
    expect(figures.clinicianActionsTaken, context).toBeGreaterThan(0);
    expect(figures.admissions, context).toBeGreaterThan(0);
    // Both injected errors failed real writes or syncs of the log, and readings were refused while they did.
    expect(figures.faultsInjected, context).toBe(2);
    expect(figures.failedIoCalls, context).toBeGreaterThan(0);
    expect(figures.readingsRefusedInFaults, context).toBeGreaterThan(0);
    // The EIO round also kills the gateway while its commits fail: the restart recovers that WAL.
    expect(figures.killsDuringFaults, context).toBe(1);
    expect(figures.pubacks, context).toBeGreaterThan(0);
  }, 300_000);
});

describe('the disk campaign checks what it finds', () => {
  it('reports a reading PUBACKed on a full disk and missing from the log as a violation', () => {
    const none = new Set<string>();
    expect(
      acknowledgedNotStoredOnce(
        { mqtt: new Set(['disk-alarm-1/vitals#1']), http: none, admission: none, astm: none, hl7: none },
        { mqtt: new Map(), http: new Map(), admission: new Map(), astm: new Map(), hl7: new Map() },
      ),
    ).toEqual(['mqtt disk-alarm-1/vitals#1 acknowledged but stored 0 times']);
  });
});
