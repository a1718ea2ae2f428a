import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// docs/architecture.md#alerts-follow-flags-and-measurement-time through the gateway's real
// write side (SQLite file, reactors in the append transaction) and its HTTP API.

let gateway: InjectedGateway;
const patientId = 'p-amna';
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  await registerPatient(gateway, patientId);
});
afterEach(async () => {
  await gateway.close();
});

/** A result from the haematology analyzer, as a lab driver hands it to the recorder. */
async function labResult(data: JsonObject) {
  const at = gateway.clock().toISOString();
  const draft = eventDraft(
    {
      eventId: uuidV7(),
      eventType: 'lab_result_available',
      timestamp: at,
      facility: gateway.services.facility,
      patientId,
      source: 'lab-service',
    },
    {
      resultId: `res-${uuidV7()}`,
      specimen: { specimenId: 'SP-0042', type: 'whole_blood' },
      testName: 'Result',
      resultStatus: 'final',
      observedAt: at,
      reportedAt: at,
      deviceId: 'analyzer-1',
      ...data,
    },
  );
  const outcome = await gateway.services.recorder.record({ draft, channel: 'hl7', origin: 'test analyzer' });
  if (outcome.status !== 'appended') throw new Error(`lab result not appended: ${JSON.stringify(outcome)}`);
  return outcome.events.map((event) => event.eventType);
}

const alerts = async (): Promise<AlertDoc[]> =>
  (
    await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/alerts?status=all',
      headers: gateway.nurseHeaders,
    })
  ).json().alerts;

describe('a lab result the analyzer flags HH in a unit no rule knows', () => {
  it('raises one critical alert naming the flag, none for a repeat, and resolves on a normal result', async () => {
    // WBC flagged HH in cells per high-power field (urine microscopy's unit): no rule's unit.
    const wbc = { testCode: 'WBC', testName: 'Leukocytes', unit: '{cells}/[HPF]' };
    expect(await labResult({ ...wbc, value: 105_600, flags: ['HH'] })).toEqual([
      'lab_result_available',
      'critical_value_detected',
    ]);
    const [raised] = await alerts();
    expect(raised).toMatchObject({
      patientId,
      parameter: 'whiteCells',
      testCode: 'WBC',
      value: 105_600,
      unit: '{cells}/[HPF]',
      flag: 'HH',
      direction: 'high',
      priority: 'high',
      ruleId: 'analyzer-flag',
      status: 'active',
    });
    expect(raised).not.toHaveProperty('threshold');

    gateway.clock.advanceSeconds(300);
    expect(await labResult({ ...wbc, value: 98_000, flags: ['HH'] })).toEqual(['lab_result_available']);
    gateway.clock.advanceSeconds(300);
    expect(await labResult({ ...wbc, value: 7_400, flags: ['N'] })).toEqual([
      'lab_result_available',
      'alert_resolved',
    ]);
    expect(await alerts()).toEqual([
      expect.objectContaining({ alertId: raised!.alertId, status: 'resolved' }),
    ]);
  });

  it('raises on a haematology analyzer unit (10E3/uL) too, and on a text result flagged AA', async () => {
    expect(await labResult({ testCode: 'PLT', value: 12, unit: '10E3/uL', flags: ['LL'] })).toContain(
      'critical_value_detected',
    );
    expect(
      await labResult({ testCode: 'MALARIA-RDT', testName: 'Malaria RDT', value: 'POSITIVE', flags: ['AA'] }),
    ).toContain('critical_value_detected');
    const byParameter = Object.fromEntries((await alerts()).map((alert) => [alert.parameter, alert]));
    expect(byParameter.platelets).toMatchObject({ flag: 'LL', direction: 'low', value: 12 });
    expect(byParameter['MALARIA-RDT']).toMatchObject({ flag: 'AA', valueText: 'POSITIVE' });
    expect(byParameter['MALARIA-RDT']).not.toHaveProperty('direction');
  });

  it('raises one alert, not two, when the rule and the flag both call a potassium critical', async () => {
    expect(await labResult({ testCode: 'K', value: 7.1, unit: 'mmol/L', flags: ['HH'] })).toEqual([
      'lab_result_available',
      'critical_value_detected',
    ]);
    expect(await alerts()).toEqual([
      expect.objectContaining({
        parameter: 'potassium',
        threshold: 6.2,
        flag: 'HH',
        ruleId: 'kost1990-potassium',
      }),
    ]);
  });
});

describe('a bradycardia alert and a normal heart rate entered with an earlier measurement time', () => {
  const recordHeartRate = (heartRate: number, measuredAt: string) =>
    gateway.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/vitals`,
      headers: gateway.nurseHeaders,
      payload: { heartRate, measuredAt },
    });

  it('leaves the alert open until a reading measured at least as recently comes back normal', async () => {
    expect((await recordHeartRate(30, '2026-11-26T08:00:00.000Z')).statusCode).toBe(201);
    gateway.clock.advanceSeconds(300);
    const late = await recordHeartRate(80, '2026-11-26T07:30:00.000Z');
    expect(late.json().events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'vital_signs_recorded',
    ]);
    expect(await alerts()).toEqual([expect.objectContaining({ parameter: 'heartRate', status: 'active' })]);

    const now = await recordHeartRate(80, '2026-11-26T08:05:00.000Z');
    expect(now.json().events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'vital_signs_recorded',
      'alert_resolved',
    ]);
  });
});
