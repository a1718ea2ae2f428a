import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayProjections } from '../../../gateway/projections/gatewayProjections.ts';
import { runNilecare } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

interface Snapshot {
  asOf: string;
  patients: { patientId: string; firstName: string; status: string }[];
  encounters: { encounterId: string }[];
  latestVitals: { subjectId: string }[];
  openAlerts: { patientId?: string; parameter: string; status: string }[];
}

let dir: ReturnType<typeof tempDataDir>;

beforeEach(async () => {
  dir = tempDataDir();
  // 08:00 one patient is admitted; 12:00 a second one is, and desaturates.
  const folder = openRecordedDataDir(dir.path, '2025-03-12T08:00:00.000Z');
  try {
    await folder.registerAndAdmit('patient-morning', 'Amna', { ward: 'Ward A', bed: 'A-1' });
    folder.setTime('2025-03-12T12:00:00.000Z');
    await folder.registerAndAdmit('patient-noon', 'Yousif', { ward: 'Ward A', bed: 'A-2' });
    const events = await folder.reading('patient-noon', 1, { oxygenSaturation: { value: 85, unit: '%' } });
    expect(events.map((event) => event.eventType)).toEqual([
      'vital_signs_recorded',
      'critical_value_detected',
    ]);
  } finally {
    folder.close();
  }
});

afterEach(() => {
  dir.remove();
});

async function snapshotAsOf(time: string): Promise<Snapshot> {
  const result = await runNilecare(['replay', '--data-dir', dir.path, '--as-of', time]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

describe('nilecare replay --as-of', () => {
  it('shows the state at 10:00: the morning patient, and neither the noon patient nor the alert', async () => {
    const snapshot = await snapshotAsOf('2025-03-12T10:00:00.000Z');
    expect(snapshot.asOf).toBe('2025-03-12T10:00:00.000Z');
    expect(snapshot.patients.map((patient) => [patient.patientId, patient.status])).toEqual([
      ['patient-morning', 'admitted'],
    ]);
    expect(snapshot.encounters.map((encounter) => encounter.encounterId)).toEqual(['enc-patient-morning']);
    expect(snapshot.latestVitals).toEqual([]);
    expect(snapshot.openAlerts).toEqual([]);
  });

  it('shows the state at 13:00: both patients and the open SpO2 alert', async () => {
    const snapshot = await snapshotAsOf('2025-03-12T13:00:00.000Z');
    expect(snapshot.patients.map((patient) => patient.patientId).sort()).toEqual([
      'patient-morning',
      'patient-noon',
    ]);
    expect(snapshot.openAlerts).toHaveLength(1);
    expect(snapshot.openAlerts[0]).toMatchObject({
      patientId: 'patient-noon',
      parameter: 'oxygenSaturation',
      status: 'active',
    });
    expect(snapshot.latestVitals.map((doc) => doc.subjectId)).toEqual(['patient-noon']);
  });

  it('includes what was recorded at exactly the moment asked for', async () => {
    const snapshot = await snapshotAsOf('2025-03-12T12:00:00.000Z');
    expect(snapshot.patients).toHaveLength(2);
  });

  it('refuses a time that is not ISO 8601 with GW_ERR_TIME_INVALID', async () => {
    const result = await runNilecare(['replay', '--data-dir', dir.path, '--as-of', 'yesterday-ish']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GW_ERR_TIME_INVALID');
  });
});

describe('nilecare replay', () => {
  it('rebuilds every read model from the log', async () => {
    const result = await runNilecare(['replay', '--data-dir', dir.path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`rebuilt ${gatewayProjections.length} read models from 8 events`);
  });
});
