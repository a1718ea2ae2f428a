import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import { recordAdmittedPatient } from '../../harness/admittedPatient.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';

// docs/critical-values.md#news2-aggregate-score over a whole gateway: a monitor publishes
// over real MQTT (aedes on TCP) into the real SQLite log; a nurse and a physician use the
// real HTTP API.

let gateway: TestGateway;
let monitor: MqttClient;
let nurse: { cookie: string };
let physician: { cookie: string };
const deviceId = 'monitor-bed-3';
const patientId = 'p-halima';
let seq = 0;

beforeAll(async () => {
  gateway = await startTestGateway();
  await recordAdmittedPatient(gateway.services, {
    patientId,
    firstName: 'Halima',
    lastName: 'Osman',
    ward: 'Medical',
    bed: '3',
  });
  monitor = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId, { patientId, bed: '3' }));
  nurse = (await signInOverHttp(gateway, 'nurse')).headers;
  physician = (await signInOverHttp(gateway, 'physician', { username: 'dr-salah' })).headers;
});

afterAll(async () => {
  await gateway?.stop();
});

async function call(method: string, path: string, headers: { cookie: string }, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes; each test reads the fields it checks
  return { status: response.status, body: (await response.json()) as any };
}

/** One monitor reading of SpO2, respiratory rate and pulse, acknowledged (PUBACK) once stored. */
function monitorReads(spo2: number, respiratoryRate: number, heartRate: number): Promise<void> {
  const payload = vitalsPayload(++seq, {
    spo2: { value: spo2, unit: '%' },
    respiratoryRate: { value: respiratoryRate, unit: '/min' },
    heartRate: { value: heartRate, unit: '/min' },
  });
  return new Promise((resolve, reject) =>
    monitor.publish(gateway.vitalsTopic(deviceId), payload, { qos: 1 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

const news2Alerts = (): AlertDoc[] =>
  gateway.services.projections
    .all<AlertDoc>('alerts')
    .filter((alert) => alert.patientId === patientId && alert.parameter === 'news2')
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));

const chartNews2 = async () =>
  (await call('GET', `/api/v1/patients/${patientId}`, nurse)).body.latestVitals.news2;

describe('a patient whose SpO2 falls while the respiratory rate rises, on a monitor over MQTT', () => {
  it('raises no aggregate alert while the nurse has not entered consciousness and oxygen', async () => {
    await monitorReads(91, 25, 95); // SpO2 3 + RR 3 + pulse 1: at least 7, but four parameters unknown
    expect(news2Alerts()).toEqual([]);
    expect(await chartNews2()).toMatchObject({
      complete: false,
      missing: ['supplementalOxygen', 'systolicBloodPressure', 'consciousness', 'temperature'],
    });
  });

  it('raises once the nurse completes the set, resolves on recovery, then raises an urgent review at 5 and an emergency at 7 that supersedes it', async () => {
    const entered = await call('POST', `/api/v1/patients/${patientId}/vitals`, nurse, {
      consciousness: 'A',
      supplementalOxygen: false,
      systolicBloodPressure: 120,
      temperature: 37,
    });
    expect(entered.status).toBe(201);
    // The nurse's entry completes the set: the monitor's last reading scores 7 now.
    expect(news2Alerts()).toMatchObject([{ severity: 'critical', value: 7, status: 'active' }]);
    await monitorReads(97, 16, 78);
    expect(news2Alerts()).toMatchObject([{ status: 'resolved', resolution: 'returned_to_range' }]);
    const afterRecovery = news2Alerts().length;
    expect(await chartNews2()).toMatchObject({ total: 0, complete: true, spo2Scale: 1 });

    await monitorReads(95, 21, 78); // SpO2 1 + RR 2 = 3
    expect(news2Alerts()).toHaveLength(afterRecovery);
    await monitorReads(93, 23, 95); // SpO2 2 + RR 2 + pulse 1 = 5
    const [urgent] = news2Alerts().slice(afterRecovery);
    expect(urgent).toMatchObject({
      status: 'active',
      severity: 'warning',
      priority: 'medium',
      ruleId: 'news2-aggregate',
      value: 5,
      threshold: 5,
      news2: {
        total: 5,
        band: 'medium',
        trigger: 'total',
        scores: { oxygenSaturation: 2, respiratoryRate: 2 },
      },
    });

    await monitorReads(92, 24, 95); // still 5: nothing new
    expect(news2Alerts()).toHaveLength(afterRecovery + 1);
    await monitorReads(91, 25, 95); // SpO2 3 + RR 3 + pulse 1 = 7
    const [superseded, emergency] = news2Alerts().slice(afterRecovery);
    expect(superseded).toMatchObject({
      alertId: urgent!.alertId,
      status: 'resolved',
      resolution: 'superseded',
    });
    expect(emergency).toMatchObject({
      status: 'active',
      severity: 'critical',
      priority: 'high',
      value: 7,
      threshold: 7,
      news2: { total: 7, band: 'high', spo2Scale: 1 },
    });
  });

  it('lets a physician, not a nurse, put the patient on SpO2 scale 2, which the chart scores at once', async () => {
    const body = { spo2Scale: 2, reason: 'COPD, hypercapnic respiratory failure on blood gas' };
    const refused = await call('PUT', `/api/v1/patients/${patientId}/news2-scale`, nurse, body);
    expect(refused.status).toBe(403);
    const chosen = await call('PUT', `/api/v1/patients/${patientId}/news2-scale`, physician, body);
    expect(chosen.status).toBe(200);
    expect(chosen.body.events).toEqual([expect.objectContaining({ eventType: 'encounter_updated' })]);
    // SpO2 91 % on air scores 0 on scale 2: RR 3 + pulse 1 = 4.
    expect(await chartNews2()).toMatchObject({ total: 4, spo2Scale: 2, scores: { oxygenSaturation: 0 } });
    const chart = await call('GET', `/api/v1/patients/${patientId}`, nurse);
    expect(chart.body.encounters[0]).toMatchObject({ news2Spo2Scale: 2, news2Spo2ScaleReason: body.reason });
  });

  it('keeps the emergency open while the score is 4 on scale 2, and resolves it when the score falls to 0', async () => {
    await monitorReads(90, 25, 95); // scale 2: RR 3 + pulse 1 = 4, a single 3
    expect(news2Alerts().at(-1)).toMatchObject({ status: 'active', severity: 'critical' });
    await monitorReads(90, 18, 80); // scale 2: 0
    const resolved = news2Alerts().at(-1);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'returned_to_range' });
    expect(news2Alerts().filter((alert) => alert.status !== 'resolved')).toEqual([]);
  });
});
