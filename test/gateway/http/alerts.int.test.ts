import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway({ staleAfterSeconds: 60 });
  await registerPatient(gateway, 'p-fatima');
  await gateway.app.inject({
    method: 'POST',
    url: '/api/v1/patients/p-fatima/admissions',
    headers: gateway.nurseHeaders,
    payload: { ward: 'Maternity', bed: 'M4' },
  });
});
afterEach(async () => {
  await gateway.close();
});

const recordVitals = (payload: Record<string, unknown>, patientId = 'p-fatima') =>
  gateway.app.inject({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/vitals`,
    headers: gateway.nurseHeaders,
    payload,
  });
const openAlerts = async () =>
  (await gateway.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: gateway.nurseHeaders })).json()
    .alerts;
const acknowledge = (alertId: string, headers: Record<string, string> = gateway.nurseHeaders) =>
  gateway.app.inject({
    method: 'POST',
    url: `/api/v1/alerts/${alertId}/acknowledge`,
    headers,
    payload: { note: 'oxygen started' },
  });

describe('vital signs recorded by hand', () => {
  it('with SpO2 88 % answers 201 and raises one active high-priority alert caused by the reading', async () => {
    const response = await recordVitals({ oxygenSaturation: 88, heartRate: 96 });
    expect(response.statusCode).toBe(201);
    const events = response.json().events as { eventId: string; eventType: string }[];
    expect(events.map((event) => event.eventType)).toEqual([
      'vital_signs_recorded',
      'critical_value_detected',
    ]);

    const alerts = await openAlerts();
    expect(alerts).toEqual([
      expect.objectContaining({
        patientId: 'p-fatima',
        parameter: 'oxygenSaturation',
        value: 88,
        unit: '%',
        direction: 'low',
        severity: 'critical',
        priority: 'high',
        status: 'active',
        bed: 'M4',
        causationId: events[0]!.eventId,
      }),
    ]);
  });

  it('within range answers 201 and raises no alert', async () => {
    const response = await recordVitals({ oxygenSaturation: 97, heartRate: 72, temperature: 36.8 });
    expect(response.statusCode).toBe(201);
    expect(response.json().events).toHaveLength(1);
    expect(await openAlerts()).toEqual([]);
  });

  it('refuses a body with no vital sign, saying at least one is needed', async () => {
    const response = await recordVitals({ consciousness: 'A' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toContain('needs at least one of oxygenSaturation');
  });

  it('refuses a value no body can have, naming the field', async () => {
    const response = await recordVitals({ oxygenSaturation: 130 });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details?.issues).toEqual([
      expect.objectContaining({ field: 'body/oxygenSaturation', rule: 'maximum' }),
    ]);
  });

  it('refuses a measurement time in the future, which would hide later real readings, and quarantines it', async () => {
    const response = await recordVitals({ heartRate: 72, measuredAt: '2026-11-27T08:00:00.000Z' });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('GW_ERR_REQUEST_INVALID');
    expect(error.details?.issues).toEqual([expect.objectContaining({ field: 'body/measuredAt' })]);
    const quarantine = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/quarantine',
      headers: await gateway.signIn('technician'),
    });
    const [record] = quarantine.json().quarantined;
    expect(record).toMatchObject({
      id: error.details?.quarantineId,
      origin: 'POST /api/v1/patients/:patientId/vitals',
    });
  });

  it('accepts a measurement time in the past (vitals written on paper first)', async () => {
    const response = await recordVitals({ heartRate: 72, measuredAt: '2026-11-26T06:30:00.000Z' });
    expect(response.statusCode).toBe(201);
  });

  it('refuses an unknown patient with 404 GW_ERR_PATIENT_UNKNOWN', async () => {
    const response = await recordVitals({ oxygenSaturation: 97 }, 'nobody');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});

describe('acknowledging an alert', () => {
  let alertId: string;
  beforeEach(async () => {
    await recordVitals({ oxygenSaturation: 88 });
    [{ alertId }] = await openAlerts();
  });

  it('without a session is refused with 401 GW_ERR_AUTH_REQUIRED and the alert stays active', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/acknowledge`,
    });
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('GW_ERR_AUTH_REQUIRED');
    expect((await openAlerts())[0].status).toBe('active');
  });

  it('with the old X-NileCare-User-* headers and no session is refused: headers name nobody', async () => {
    const response = await acknowledge(alertId, {
      'x-nilecare-user-id': 'nurse-huda',
      'x-nilecare-user-name': 'Huda',
      'x-nilecare-user-role': 'nurse',
    });
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('GW_ERR_AUTH_REQUIRED');
    expect((await openAlerts())[0].status).toBe('active');
  });

  it('with a session answers 200, and the alert is acknowledged by the signed-in nurse', async () => {
    const response = await acknowledge(alertId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'alert_acknowledged',
    ]);
    expect(body.alert).toMatchObject({
      alertId,
      status: 'acknowledged',
      acknowledgedAt: '2026-11-26T08:00:00.000Z',
    });
    expect(body.alert.acknowledgedBy).toEqual(gateway.nurse.actor);
    const [listed] = await openAlerts();
    expect(listed).toMatchObject({ alertId, status: 'acknowledged', acknowledgedBy: gateway.nurse.actor });
  });

  it('needs no note: {} is enough, but a request without a JSON body is refused with 415', async () => {
    const bodiless = await gateway.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/acknowledge`,
      headers: gateway.nurseHeaders,
    });
    expect(bodiless.statusCode).toBe(415);
    expect(errorOf(bodiless).code).toBe('GW_ERR_JSON_BODY_REQUIRED');
    expect((await openAlerts())[0].status).toBe('active');
    const response = await gateway.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/acknowledge`,
      headers: gateway.nurseHeaders,
      payload: {},
    });
    expect(response.statusCode).toBe(200);
  });

  it('a second time is refused with 409 GW_ERR_ALERT_STATE', async () => {
    await acknowledge(alertId);
    const headSeq = gateway.services.log.head.seq;
    const again = await acknowledge(alertId, await gateway.signIn('nurse'));
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'GW_ERR_ALERT_STATE', statusCode: 409 });
    expect(errorOf(again).message).toContain('acknowledged');
    expect(gateway.services.log.head.seq).toBe(headSeq);
  });

  it('of an alert that does not exist answers 404 GW_ERR_ALERT_UNKNOWN', async () => {
    const response = await acknowledge('no-such-alert');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('GW_ERR_ALERT_UNKNOWN');
  });

  it('ignores an old actor header beside the session: the event names the signed-in nurse', async () => {
    const response = await acknowledge(alertId, {
      ...gateway.nurseHeaders,
      'x-nilecare-user-id': 'someone-else',
      'x-nilecare-user-name': '%E0%A4%A',
      'x-nilecare-user-role': 'admin',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().alert.acknowledgedBy).toEqual(gateway.nurse.actor);
  });
});

describe("the chart's latest vitals", () => {
  it('marks a reading stale once it is older than staleAfterSeconds on the gateway clock', async () => {
    await recordVitals({ heartRate: 72 });
    const reading = async () =>
      (
        await gateway.app.inject({
          method: 'GET',
          url: '/api/v1/patients/p-fatima',
          headers: gateway.nurseHeaders,
        })
      ).json().latestVitals.parameters.heartRate;
    expect(await reading()).toMatchObject({
      value: 72,
      unit: '/min',
      method: 'manual',
      stale: false,
      ageSeconds: 0,
    });

    gateway.clock.advanceSeconds(60);
    expect(await reading()).toMatchObject({ stale: false, ageSeconds: 60 });

    gateway.clock.advanceSeconds(1);
    expect(await reading()).toMatchObject({ stale: true, ageSeconds: 61 });

    await recordVitals({ heartRate: 75 });
    expect(await reading()).toMatchObject({ value: 75, stale: false });
  });
});

describe("the chart's NEWS2", () => {
  const news2 = async () =>
    (
      await gateway.app.inject({
        method: 'GET',
        url: '/api/v1/patients/p-fatima',
        headers: gateway.nurseHeaders,
      })
    ).json().latestVitals.news2;

  it('scores the latest observations and names what was not observed', async () => {
    await recordVitals({ oxygenSaturation: 93, heartRate: 112, respiratoryRate: 22 });
    expect(await news2()).toEqual({
      total: 6,
      band: 'medium',
      complete: false,
      missing: ['supplementalOxygen', 'systolicBloodPressure', 'consciousness', 'temperature'],
      scores: { respiratoryRate: 2, oxygenSaturation: 2, heartRate: 2 },
      spo2Scale: 1,
    });
  });

  it('is complete once oxygen, consciousness, blood pressure and temperature are entered', async () => {
    await recordVitals({ oxygenSaturation: 97, heartRate: 70, respiratoryRate: 16 });
    await recordVitals({
      systolicBloodPressure: 120,
      temperature: 37.2,
      supplementalOxygen: true,
      consciousness: 'C',
    });
    expect(await news2()).toMatchObject({ total: 5, band: 'medium', complete: true, missing: [] });
  });
});
