import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShiftChanges, shiftStartOf } from '../../../gateway/handover/shiftStart.ts';
import type { Handover } from '../../../gateway/http/apiContract.ts';
import { recordAdmittedPatient } from '../../harness/admittedPatient.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { normalVitals, vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor } from '../../harness/waitFor.ts';

// The shift handover over a whole gateway: readings arrive over MQTT from a
// bound monitor, the nurse acknowledges over HTTP, the handover reads it all
// back in one request (docs/ui.md#shift-handover).

let gateway: TestGateway;
let nurse: { cookie: string };
let nurseName: string;
let physician: { cookie: string };
let technician: { cookie: string };

const get = async (path: string, headers: { cookie: string }) =>
  fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, { headers });

const post = async (path: string, headers: { cookie: string }, body: Record<string, unknown> = {}) =>
  fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      origin: `http://127.0.0.1:${gateway.httpPort}`,
    },
    body: JSON.stringify(body),
  });

function publishQos1(client: MqttClient, topic: string, payload: string): Promise<Error | undefined> {
  return new Promise((resolve) =>
    client.publish(topic, payload, { qos: 1 }, (error) => resolve(error ?? undefined)),
  );
}

beforeAll(async () => {
  gateway = await startTestGateway({ shiftChanges: '07:00,15:00,23:00' });
  const signedIn = await signInOverHttp(gateway, 'nurse');
  nurse = signedIn.headers;
  nurseName = signedIn.displayName;
  physician = (await signInOverHttp(gateway, 'physician')).headers;
  technician = (await signInOverHttp(gateway, 'technician')).headers;
  // Admitted in the reverse of the ward's order: the handover walks the beds, not the admissions.
  for (const [patientId, firstName, bed] of [
    ['p-a2', 'Huda', 'A2'],
    ['p-a1', 'Amna', 'A1'],
  ] as const)
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName,
      lastName: 'Osman',
      ward: 'Ward A',
      bed,
    });
});

afterAll(async () => {
  await gateway?.stop();
});

describe('the shift handover of a running gateway', () => {
  it("shows a monitor's falling SpO2 as NEWS2 and its trend, and the open alert with the nurse who took it", async () => {
    const deviceId = 'monitor-a1';
    const client = await gateway.connectDevice(
      deviceId,
      await gateway.addDevice(deviceId, { patientId: 'p-a1' }),
    );
    const low = {
      ...normalVitals(),
      spo2: { value: 88, unit: '%' },
      respiratoryRate: { value: 25, unit: '/min' },
    };
    expect(await publishQos1(client, gateway.vitalsTopic(deviceId), vitalsPayload(1, low))).toBeUndefined();
    const alertId = await waitFor('the SpO2 alert', async () => {
      const { alerts } = (await (await get('/api/v1/alerts', nurse)).json()) as {
        alerts: { alertId: string }[];
      };
      return alerts[0]?.alertId;
    });
    const acknowledged = await fetch(
      `http://127.0.0.1:${gateway.httpPort}/api/v1/alerts/${alertId}/acknowledge`,
      {
        method: 'POST',
        headers: {
          ...nurse,
          'content-type': 'application/json',
          origin: `http://127.0.0.1:${gateway.httpPort}`,
        },
        body: JSON.stringify({ note: 'oxygen started' }),
      },
    );
    expect(acknowledged.status).toBe(200);

    const response = await get('/api/v1/handover', physician);
    expect(response.status).toBe(200);
    const handover = (await response.json()) as Handover;
    // Without `since`, new means since the configured shift change.
    expect(handover.since).toBe(
      shiftStartOf(
        new Date(handover.generatedAt),
        parseShiftChanges('07:00,15:00,23:00'),
        'Africa/Khartoum',
      ).toISOString(),
    );
    expect(handover.patients.map((patient) => [patient.bed, patient.name])).toEqual([
      ['A1', 'Amna Osman'],
      ['A2', 'Huda Osman'],
    ]);
    const [amna, huda] = handover.patients;
    // SpO2 88 % scores 3, respiratory rate 25 scores 3; pulse 78 and 36.8 °C score 0; BP and more missing.
    expect(amna?.news2).toMatchObject({ total: 6, band: 'medium', complete: false });
    expect(amna?.news2.missing).toContain('systolicBloodPressure');
    expect(amna?.trend).toEqual([expect.objectContaining({ total: 6, band: 'medium' })]);
    // The respiratory rate's alert is open too, nobody has taken it yet.
    expect(amna?.alerts).toContainEqual(
      expect.objectContaining({ parameter: 'respiratoryRate', status: 'active' }),
    );
    expect(amna?.alerts).toContainEqual(
      expect.objectContaining({
        alertId,
        parameter: 'oxygenSaturation',
        value: 88,
        status: 'acknowledged',
        acknowledgedBy: expect.objectContaining({ userName: nurseName, userRole: 'nurse' }),
      }),
    );
    expect(huda).toMatchObject({ alerts: [], trend: [], labResults: [], labOrders: [], given: [] });
    expect(huda?.news2.missing).toHaveLength(7);
  });

  it("carries the physician's prescriptions and diagnoses and the nurse's doses of the shift", async () => {
    const prescribed = await post('/api/v1/patients/p-a2/medications', physician, {
      drugName: 'Artesunate',
      dose: { value: 120, unit: 'mg' },
      route: 'intravenous',
      frequency: 'q12h',
    });
    expect(prescribed.status).toBe(201);
    const { prescriptionId } = (await prescribed.json()) as { prescriptionId: string };
    const administrations = `/api/v1/patients/p-a2/medications/${prescriptionId}/administrations`;
    expect((await post(administrations, nurse)).status).toBe(201);
    const diagnosed = await post('/api/v1/patients/p-a2/diagnoses', physician, {
      icd10Code: 'B50.9',
      description: 'Plasmodium falciparum malaria, unspecified',
    });
    expect(diagnosed.status).toBe(201);

    const handover = (await (await get('/api/v1/handover', nurse)).json()) as Handover;
    const huda = handover.patients.find((patient) => patient.patientId === 'p-a2');
    expect(huda?.medications).toEqual([
      expect.objectContaining({ drugName: 'Artesunate', frequency: 'q12h', lastGivenAt: expect.any(String) }),
    ]);
    expect(huda?.given).toEqual([
      expect.objectContaining({
        drugName: 'Artesunate',
        status: 'given',
        doseGiven: { value: 120, unit: 'mg' },
      }),
    ]);
    expect(huda?.diagnoses).toEqual([expect.objectContaining({ code: 'B50.9', change: 'added' })]);
  });

  it('takes a `since` asked for as the start of what is new, and keeps what is still open', async () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    const handover = (await (
      await get(`/api/v1/handover?since=${encodeURIComponent(later)}`, nurse)
    ).json()) as Handover;
    expect(handover.since).toBe(later);
    // The dose and the diagnosis came before it: not new; the prescription is still active.
    const huda = handover.patients.find((patient) => patient.patientId === 'p-a2');
    expect(huda).toMatchObject({ given: [], diagnoses: [] });
    expect(huda?.medications).toHaveLength(1);
    // Open alerts stay on the handover: they are open now, whenever they were raised.
    expect(handover.patients[0]?.alerts.map((alert) => alert.parameter).sort()).toEqual([
      'oxygenSaturation',
      'respiratoryRate',
    ]);
  });

  it('refuses a `since` that is not a time, and a technician, who sees no patient data', async () => {
    expect((await get('/api/v1/handover?since=yesterday', nurse)).status).toBe(400);
    expect((await get('/api/v1/handover', technician)).status).toBe(403);
  });
});
