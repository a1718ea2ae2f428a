import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import {
  buildInjectedGateway,
  errorOf,
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

/** A monitor reading stored now (gateway clock), measured `secondsAgo` earlier. */
async function deviceReading(values: Record<string, number>, secondsAgo = 0) {
  const units: Record<string, string> = { oxygenSaturation: '%', heartRate: '/min', respiratoryRate: '/min' };
  const measuredAt = new Date(gateway.clock().getTime() - secondsAgo * 1000).toISOString();
  const data = {
    method: 'device',
    deviceId: 'monitor-1',
    measuredAt,
    ...Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, { value, unit: units[name]! }]),
    ),
  };
  const outcome = await gateway.services.recorder.record({
    draft: draftFor(gateway.services, 'vital_signs_recorded', data, {
      patientId: 'p-fatima',
      at: measuredAt,
    }),
    channel: 'mqtt',
    origin: 'test monitor',
  });
  expect(outcome.status).toBe('appended');
}

const trend = async (window = '1h') =>
  gateway.app.inject({
    method: 'GET',
    url: `/api/v1/patients/p-fatima/vitals/trend?window=${window}`,
    headers: gateway.nurseHeaders,
  });

describe("a patient's vital-sign trend", () => {
  it('keeps each bucket’s extremes and its latest reading, and leaves a minute without readings out', async () => {
    // 08:00 is the clock's start: readings in the minutes 08:10 and 08:12, none at 08:11.
    gateway.clock.advanceSeconds(10 * 60);
    for (const [spo2, pulse] of [
      [97, 80],
      [88, 120],
      [95, 90],
    ] as const) {
      await deviceReading({ oxygenSaturation: spo2, heartRate: pulse });
      gateway.clock.advanceSeconds(15);
    }
    gateway.clock.advanceSeconds(2 * 60);
    await deviceReading({ oxygenSaturation: 91 });
    const response = await trend('1h');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ window: '1h', bucketSeconds: 60 });
    expect(body.parameters.oxygenSaturation.device).toEqual([
      { t: '2026-11-26T08:10:00.000Z', min: 88, max: 97, last: 95, count: 3 },
      { t: '2026-11-26T08:12:00.000Z', min: 91, max: 91, last: 91, count: 1 },
    ]);
    expect(body.parameters.oxygenSaturation.manual).toEqual([]);
    expect(body.parameters.temperature.device).toEqual([]);
  });

  it('tells a reading entered by hand from a device reading', async () => {
    gateway.clock.advanceSeconds(5 * 60);
    await deviceReading({ respiratoryRate: 18 });
    const manual = await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients/p-fatima/vitals',
      headers: gateway.nurseHeaders,
      payload: { respiratoryRate: 26, consciousness: 'A', supplementalOxygen: false },
    });
    expect(manual.statusCode).toBe(201);
    const body = (await trend('1h')).json();
    expect(body.parameters.respiratoryRate.device).toMatchObject([{ last: 18 }]);
    expect(body.parameters.respiratoryRate.manual).toMatchObject([{ last: 26, count: 1 }]);
  });

  it('scores NEWS2 per bucket and lists the alerts with their times', async () => {
    gateway.clock.advanceSeconds(60);
    await deviceReading({ oxygenSaturation: 97, heartRate: 80, respiratoryRate: 16 });
    gateway.clock.advanceSeconds(60);
    await deviceReading({ oxygenSaturation: 90 });
    const body = (await trend('1h')).json();
    expect(body.news2).toMatchObject([
      { t: '2026-11-26T08:01:00.000Z', total: 0, band: 'low', complete: false },
      // SpO2 90 % scores 3; pulse and respiratory rate carried from the minute before.
      { t: '2026-11-26T08:02:00.000Z', total: 3, band: 'lowMedium', complete: false },
    ]);
    expect(body.news2[1].missing).toEqual([
      'supplementalOxygen',
      'systolicBloodPressure',
      'consciousness',
      'temperature',
    ]);
    expect(body.alerts).toMatchObject([
      {
        parameter: 'oxygenSaturation',
        priority: 'high',
        value: 90,
        raisedAt: '2026-11-26T08:02:00.000Z',
        status: 'active',
      },
    ]);
  });

  it('cuts 72 hours into buckets of 15 minutes: a few hundred points at most', async () => {
    // Two hours of one reading a minute, measured before now (08:00 on the clock), from 06:00.
    for (let minute = 0; minute < 120; minute += 1)
      await deviceReading({ heartRate: 60 + (minute % 30) }, (120 - minute) * 60);
    const response = await trend('72h');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.bucketSeconds).toBe(900);
    expect(body.parameters.heartRate.device).toHaveLength(8);
    expect(body.parameters.heartRate.device[0]).toMatchObject({ min: 60, max: 74, count: 15 });
  });

  it('refuses an unknown window with 400 and an unknown patient with 404', async () => {
    expect((await trend('2h')).statusCode).toBe(400);
    const unknown = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/patients/nobody/vitals/trend',
      headers: gateway.nurseHeaders,
    });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});
