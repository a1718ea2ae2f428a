import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import { type DeviceDoc, devicesProjection } from '../../../gateway/projections/devices.ts';
import { gatewayProjections } from '../../../gateway/projections/gatewayProjections.ts';
import type { PatientDoc } from '../../../gateway/projections/patients.ts';
import {
  type AnyProjection,
  ProjectionStore,
  projectInMemory,
} from '../../../gateway/projections/projectionStore.ts';
import { nurse } from '../../harness/handBuiltEvents.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let folder: ReturnType<typeof openRecordedDataDir>;

const spo2 = (value: number) => ({ oxygenSaturation: { value, unit: '%' } });
const at = (minute: number) => `2025-03-13T09:${String(minute).padStart(2, '0')}:00.000Z`;

/** A morning on a ward, through the real recorder (reactions included): every projection gets work. */
async function wardMorning(): Promise<void> {
  folder.setTime(at(0));
  await folder.record('device_connected', { deviceId: 'monitor-1', transport: 'mqtt', connectedAt: at(0) });
  await folder.registerAndAdmit('patient-1', 'Amna', { ward: 'Ward A', bed: 'A-1' });
  await folder.registerAndAdmit('patient-2', 'Yousif', { ward: 'Ward A', bed: 'A-2' });
  folder.setTime(at(5));
  await folder.reading('patient-1', 1, { ...spo2(93), heartRate: { value: 88, unit: '/min' } });
  folder.setTime(at(6));
  await folder.reading('patient-1', 2, spo2(88)); // warning -> critical, superseding
  const critical = folder.services.projections
    .all<AlertDoc>('alerts')
    .find((alert) => alert.status === 'active')!;
  folder.setTime(at(7));
  await folder.record(
    'alert_acknowledged',
    { alertId: critical.alertId, acknowledgedAt: at(7) },
    { patientId: 'patient-1', actor: nurse },
  );
  await folder.record(
    'patient_updated',
    { changes: { phone: '+249912345678' }, updatedAt: at(7) },
    { patientId: 'patient-2', actor: nurse },
  );
  folder.setTime(at(10));
  await folder.record(
    'patient_transferred',
    {
      encounterId: 'enc-patient-1',
      fromWard: 'Ward A',
      toWard: 'ICU',
      toBed: 'ICU-1',
      transferredAt: at(10),
    },
    { patientId: 'patient-1' },
  );
  folder.setTime(at(20));
  await folder.reading('patient-1', 3, spo2(97)); // recovered: resolves the episode
  await folder.reading('patient-2', 1, spo2(96), 'monitor-2');
  folder.setTime(at(30));
  await folder.record(
    'patient_discharged',
    { encounterId: 'enc-patient-2', disposition: 'home', dischargedAt: at(30) },
    { patientId: 'patient-2' },
  );
  await folder.record(
    'encounter_closed',
    { encounterId: 'enc-patient-2', reason: 'discharged', closedAt: at(30) },
    { patientId: 'patient-2' },
  );
  await folder.record('device_disconnected', {
    deviceId: 'monitor-1',
    transport: 'mqtt',
    reason: 'keepalive_timeout',
    disconnectedAt: at(31),
  });
  // The admission saga, the bed board and the chart's read models.
  folder.setTime(at(40));
  const saga = { patientId: 'patient-2', correlationId: 'saga-1' };
  await folder.record(
    'admission_saga_started',
    { sagaId: 'saga-1', ward: 'Ward A', bed: 'A-2', startedAt: at(40) },
    saga,
  );
  await folder.record(
    'bed_reserved',
    { sagaId: 'saga-1', ward: 'Ward A', bed: 'A-2', reservedAt: at(40) },
    saga,
  );
  await folder.record(
    'diagnosis_added',
    {
      diagnosisId: 'dx-1',
      code: 'B50.9',
      display: 'Plasmodium falciparum malaria, unspecified',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      recordedAt: at(41),
    },
    { patientId: 'patient-1', actor: nurse },
  );
  await folder.record(
    'medication_prescribed',
    {
      medicationRequestId: 'rx-1',
      drugName: 'Artesunate',
      dose: { value: 120, unit: 'mg' },
      route: 'intravenous',
      frequency: 'q12h',
      prescribedAt: at(42),
    },
    { patientId: 'patient-1', actor: nurse },
  );
  // The haemoglobin below answers this order by its specimen id (labOrders and its indexes).
  await folder.record(
    'lab_order_created',
    {
      orderId: 'order-1',
      tests: [{ testCode: 'HGB', testName: 'Haemoglobin' }],
      priority: 'urgent',
      specimen: { specimenId: 'S-1', type: 'whole_blood' },
      orderedAt: at(42),
    },
    { patientId: 'patient-1', actor: nurse },
  );
  await folder.record(
    'lab_result_available',
    {
      resultId: 'lab-1',
      specimen: { specimenId: 'S-1', type: 'whole_blood' },
      testCode: 'HGB',
      testName: 'Haemoglobin',
      value: 9.1,
      unit: 'g/dL',
      resultStatus: 'final',
      observedAt: at(43),
      reportedAt: at(43),
    },
    { patientId: 'patient-1' },
  );
  await folder.record('lab_result_available', {
    resultId: 'lab-qc-1',
    specimen: { specimenId: 'CTRL-L2', type: 'other' },
    testCode: 'HGB',
    testName: 'Haemoglobin',
    value: 13.2,
    unit: 'g/dL',
    resultStatus: 'final',
    deviceId: 'hem-1',
    qc: { control: 'CTRL-L2', level: 'L2' },
    observedAt: at(44),
    reportedAt: at(44),
  });
}

/** The documents of each projection, in doc_id order, as projectInMemory would give them. */
function inMemory(
  events: Iterable<ClinicalEvent>,
  projections: readonly AnyProjection[] = gatewayProjections,
) {
  const state = projectInMemory(projections, events);
  return Object.fromEntries(
    projections.map((projection) => {
      const docs = [...state.get(projection.name)!.entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      return [projection.name, docs.map(([, doc]) => doc)];
    }),
  );
}

function persisted(store: ProjectionStore) {
  return Object.fromEntries(
    store.projections.map((projection) => [projection.name, store.all(projection.name)]),
  );
}

beforeEach(() => {
  dir = tempDataDir();
  folder = openRecordedDataDir(dir.path, at(0));
});

afterEach(() => {
  if (folder.services.db.open) folder.close();
  dir.remove();
});

describe('the persisted read models', () => {
  it('equal projectInMemory over the same log, projection by projection', async () => {
    await wardMorning();
    const { projections, log } = folder.services;
    const expected = inMemory(log.iterate());
    expect(persisted(projections)).toEqual(expected);
    // The scenario reached every projection (an empty one would compare equal trivially).
    for (const projection of gatewayProjections) {
      if (projection.name !== 'alertEpisodes')
        expect(expected[projection.name], projection.name).not.toEqual([]);
    }
    const alerts = projections.all<AlertDoc>('alerts');
    expect(alerts.map((alert) => alert.resolution).sort()).toEqual(['returned_to_range', 'superseded']);
    expect(projections.get<PatientDoc>('patients', 'patient-1')).toMatchObject({ ward: 'ICU', bed: 'ICU-1' });
  });

  it('are the same after a full rebuild from the log', async () => {
    await wardMorning();
    const { projections, log } = folder.services;
    const before = persisted(projections);
    projections.rebuild(log);
    expect(persisted(projections)).toEqual(before);
  });

  it('equal projectInMemory after the database is reopened', async () => {
    await wardMorning();
    folder.close();
    folder = openRecordedDataDir(dir.path, at(45));
    const { projections, log } = folder.services;
    expect(projections.catchUp(log)).toEqual({ rebuilt: [] });
    expect(persisted(projections)).toEqual(inMemory(log.iterate()));
  });
});

describe('catchUp', () => {
  it('rebuilds from the log when a projection version changed', async () => {
    await wardMorning();
    const { db, log } = folder.services;
    const marked: AnyProjection = {
      ...devicesProjection,
      version: devicesProjection.version + 1,
      evolve: (doc, event) => {
        const next = devicesProjection.evolve(doc, event);
        return next && { ...next, evolvedBy: 'v-next' };
      },
    };
    const projections = gatewayProjections.map((projection) =>
      projection.name === 'devices' ? marked : projection,
    );
    const store = new ProjectionStore(db, projections);
    const { rebuilt } = store.catchUp(log);
    expect(rebuilt).toContain('devices');
    const devices = store.all<DeviceDoc & { evolvedBy?: string }>('devices');
    expect(devices.length).toBeGreaterThan(0);
    expect(devices.every((doc) => doc.evolvedBy === 'v-next')).toBe(true);
    expect(persisted(store)).toEqual(inMemory(log.iterate(), projections));
    // Once rebuilt at the new version, the next start does not rebuild again.
    expect(new ProjectionStore(db, projections).catchUp(log)).toEqual({ rebuilt: [] });
  });

  it('applies the events a store missed, without a rebuild', async () => {
    await wardMorning();
    const { db, log, projections } = folder.services;
    // Events appended without their projections (as if the process died between the two).
    db.transaction(() => {
      for (const deviceSeq of [1, 2]) {
        const outcome = log.append({
          eventId: `01900000-0000-7000-8000-0000000f000${deviceSeq}`,
          eventType: 'vital_signs_recorded',
          timestamp: at(40),
          version: '1.0',
          patientId: 'patient-1',
          facilityId: folder.services.facility.facilityId,
          tenantId: folder.services.facility.tenantId,
          source: 'device-integration-service',
          data: {
            method: 'device',
            deviceId: 'monitor-9',
            deviceSeq,
            measuredAt: at(40),
            heartRate: { value: 77, unit: '/min' },
          },
        });
        expect(outcome.appended).toBe(true);
      }
    })();
    expect(projections.get('devices', 'monitor-9')).toBeUndefined();
    expect(projections.catchUp(log)).toEqual({ rebuilt: [] });
    expect(projections.get<DeviceDoc>('devices', 'monitor-9')).toMatchObject({ readings: 2 });
    expect(persisted(projections)).toEqual(inMemory(log.iterate()));
  });
});

describe('the write path cache of the projection store', () => {
  it('forgets what a refused input wrote, so the next event evolves the committed document', async () => {
    await folder.registerAndAdmit('patient-7', 'Huda', { ward: 'Ward B', bed: 'B-7' });
    const { recorder, projections, facility } = folder.services;
    const transfer = (eventId: string, toBed: string) => ({
      eventId,
      eventType: 'patient_transferred',
      timestamp: at(20),
      version: '1.0',
      patientId: 'patient-7',
      facilityId: facility.facilityId,
      tenantId: facility.tenantId,
      source: 'gateway-service',
      data: { encounterId: 'enc-patient-7', toWard: 'Ward B', toBed, transferredAt: at(20) },
    });
    const first = crypto.randomUUID();
    // One input of two transfers: the first is appended and applied (bed B-9), then the
    // second reuses the first's eventId, the database refuses it, and the input rolls back whole.
    const refused = recorder.record({
      channel: 'internal',
      origin: 'test',
      draft: transfer(first, 'B-9'),
      andThen: [transfer(first, 'B-10')],
    });
    await expect(refused).rejects.toThrow();
    expect(projections.getCached<PatientDoc>('patients', 'patient-7')?.bed).toBe('B-7');
    await recorder.record({
      channel: 'internal',
      origin: 'test',
      draft: transfer(crypto.randomUUID(), 'B-8'),
    });
    expect(projections.getCached<PatientDoc>('patients', 'patient-7')?.bed).toBe('B-8');
    expect(projections.get<PatientDoc>('patients', 'patient-7')?.bed).toBe('B-8');
  });

  it('advances the checkpoints once per commit, to the last event applied', async () => {
    await wardMorning();
    const rows = folder.services.db.prepare('SELECT DISTINCT last_seq FROM projection_checkpoints').all() as {
      last_seq: number;
    }[];
    expect(rows).toEqual([{ last_seq: folder.services.log.head.seq }]);
  });
});
