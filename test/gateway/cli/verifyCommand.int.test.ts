import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { flipByteOfStoredValue } from '../../harness/databaseFileTamper.ts';
import { runNilecare } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

/** Found only in patient_admitted's body: no read model copies the attending physician. */
const marker = 'Dr. Tamper Marker 7341';

let dir: ReturnType<typeof tempDataDir>;

beforeEach(() => {
  dir = tempDataDir();
});

afterEach(() => {
  dir.remove();
});

/** Registers and admits a patient (the admission carries the marker) and, unless told not to, records readings after it. */
async function recordFolder({ readingsAfter = true } = {}): Promise<{ admissionSeq: number; total: number }> {
  const folder = openRecordedDataDir(dir.path, '2025-03-11T08:00:00.000Z');
  try {
    await folder.registerAndAdmit('patient-1', 'Amna', { ward: 'Ward A', bed: 'A-1' });
    const [, , admission] = await folder.registerAndAdmit('patient-2', 'Yousif', {
      ward: 'Ward A',
      bed: 'A-2',
      attendingPhysician: marker,
    });
    if (readingsAfter) {
      await folder.reading('patient-2', 1, { oxygenSaturation: { value: 97, unit: '%' } });
      await folder.reading('patient-2', 2, { oxygenSaturation: { value: 85, unit: '%' } });
    }
    return { admissionSeq: admission!.seq, total: folder.services.log.count() };
  } finally {
    folder.close();
  }
}

describe('nilecare verify', () => {
  it('exits 0 and reports the event count on an untouched data folder', async () => {
    const { total } = await recordFolder();
    const result = await runNilecare(['verify', '--data-dir', dir.path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`chain ok: ${total} events`);
  });

  it('exits 2 and names the seq of an event whose body had one byte flipped on disk', async () => {
    const { admissionSeq, total } = await recordFolder();
    expect(admissionSeq).toBeLessThan(total);
    flipByteOfStoredValue(dataPaths(dir.path).database, {
      bytes: marker,
      offsetInValue: marker.indexOf('7'),
      readBack: `SELECT body FROM events WHERE seq = ${admissionSeq}`,
    });
    const result = await runNilecare(['verify', '--data-dir', dir.path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`seq ${admissionSeq}\\b`));
    expect(result.stderr).toContain('hash_mismatch');
    expect(result.stderr).toContain('GW_ERR_CHAIN_BROKEN');
  });

  it('exits 2 and names the seq when the last event was damaged so that its body is no longer JSON', async () => {
    const { admissionSeq, total } = await recordFolder({ readingsAfter: false });
    expect(admissionSeq).toBe(total);
    // The closing quote after the marker becomes '#': the body no longer parses.
    flipByteOfStoredValue(dataPaths(dir.path).database, {
      bytes: `${marker}"`,
      offsetInValue: marker.length,
      readBack: `SELECT body FROM events WHERE seq = ${admissionSeq}`,
    });
    const result = await runNilecare(['verify', '--data-dir', dir.path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`seq ${admissionSeq}\\b`));
  });

  it('refuses a folder with no gateway database instead of reporting an empty log as valid', async () => {
    const missing = join(dir.path, 'no-such-folder');
    const result = await runNilecare(['verify', '--data-dir', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GW_ERR_DATA_MISSING');
    expect(result.stdout).not.toContain('chain ok');
    expect(existsSync(missing)).toBe(false);
  });
});
