import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordMonitorReading } from '../../harness/monitorReading.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  await registerPatient(gateway, 'p-fatima');
});
afterEach(async () => {
  await gateway.close();
});

const deviceReading = (values: Record<string, number>) =>
  recordMonitorReading(gateway.services, 'p-fatima', values);

const flowsheet = (query = '') =>
  gateway.app.inject({
    method: 'GET',
    url: `/api/v1/patients/p-fatima/flowsheet${query}`,
    headers: gateway.nurseHeaders,
  });

describe("a patient's flowsheet", () => {
  it('is hourly over 24 hours by default, on the hour, the current hour last', async () => {
    // The clock starts at 08:00; 08:05 is in the hour 08:00-09:00.
    gateway.clock.advanceSeconds(5 * 60);
    await deviceReading({ oxygenSaturation: 97, heartRate: 80 });
    const response = await flowsheet();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      intervalMinutes: 60,
      from: '2026-11-25T09:00:00.000Z',
      to: '2026-11-26T09:00:00.000Z',
    });
    expect(body.columns).toHaveLength(24);
    expect(body.columns.at(-1)).toBe('2026-11-26T08:00:00.000Z');
    expect(body.measured.oxygenSaturation).toEqual([
      { t: '2026-11-26T08:00:00.000Z', value: 97, method: 'device', min: 97, max: 97, count: 1, score: 0 },
    ]);
  });

  it('charts the hand-entered round of an interval with its NEWS2 scores and the total', async () => {
    gateway.clock.advanceSeconds(5 * 60);
    await deviceReading({ respiratoryRate: 18, oxygenSaturation: 96 });
    gateway.clock.advanceSeconds(60);
    const manual = await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients/p-fatima/vitals',
      headers: gateway.nurseHeaders,
      payload: { respiratoryRate: 22, consciousness: 'A', supplementalOxygen: true },
    });
    expect(manual.statusCode).toBe(201);
    const response = await flowsheet('?hours=8&interval=30');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.columns).toHaveLength(16);
    expect(body.measured.respiratoryRate).toMatchObject([
      { value: 22, method: 'manual', min: 18, max: 22, score: 2 },
    ]);
    expect(body.entered.supplementalOxygen).toMatchObject([{ value: 'oxygen', score: 2 }]);
    expect(body.entered.consciousness).toMatchObject([{ value: 'A', score: 0 }]);
    // Respiratory rate 22 (2) + oxygen (2) + SpO2 96 % (0) + alert (0) = 4, heart rate, pressure and temperature missing.
    expect(body.news2).toMatchObject([
      {
        total: 4,
        band: 'low',
        complete: false,
        missing: ['systolicBloodPressure', 'heartRate', 'temperature'],
      },
    ]);
  });

  it('refuses an interval it does not offer and a patient it does not know', async () => {
    expect((await flowsheet('?interval=7')).statusCode).toBe(400);
    const unknown = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p-nobody/flowsheet',
      headers: gateway.nurseHeaders,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
