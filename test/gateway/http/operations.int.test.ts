import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricValue } from '../../harness/prometheusText.ts';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;
let adminHeaders: { cookie: string };
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  adminHeaders = await gateway.signIn('admin');
});
afterEach(async () => {
  await gateway.close();
});

const get = (url: string) => gateway.app.inject({ method: 'GET', url, headers: adminHeaders });

describe('GET /api/v1/devices', () => {
  it('lists registered devices with their binding and connection state, never their secret', async () => {
    await gateway.services.registry.add({ deviceId: 'monitor-7', patientId: 'p-fatima', bed: 'M4' });
    await gateway.services.registry.add({ deviceId: 'oximeter-2', kind: 'pulse-oximeter' });
    const response = await get('/api/v1/devices');
    expect(response.statusCode).toBe(200);
    expect(response.json().devices).toEqual([
      expect.objectContaining({
        deviceId: 'monitor-7',
        kind: 'vitals-monitor',
        patientId: 'p-fatima',
        bed: 'M4',
        connected: false,
        lastSeenAt: null,
        readings: 0,
      }),
      expect.objectContaining({ deviceId: 'oximeter-2', kind: 'pulse-oximeter', connected: false }),
    ]);
    expect(response.body).not.toMatch(/secret|password|scrypt/i);
  });
});

describe('GET /health', () => {
  it('names the gateway and the head of its log', async () => {
    expect((await get('/health')).json()).toMatchObject({
      status: 'ok',
      gatewayId: gateway.services.identity.gatewayId,
      log: { headSeq: 0 },
    });
    await registerPatient(gateway, 'p-fatima');
    const health = (await get('/health')).json();
    expect(health.log.headSeq).toBe(1);
    expect(health.facilityId).toBe(gateway.services.facility.facilityId);
  });
});

describe('GET /metrics', () => {
  it("is Prometheus text with the platform design's metric names", async () => {
    await registerPatient(gateway, 'p-fatima');
    const response = await get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'events_published_total',
      'events_processed_total',
      'events_failed_total',
      'event_processing_duration_seconds',
      'dead_letter_queue_size',
    ]) {
      expect(response.body).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
    expect(
      metricValue(response.body, 'events_published_total', {
        event_type: 'patient_registered',
        topic: 'patient-events',
      }),
    ).toBe(1);
    expect(metricValue(response.body, 'events_processed_total', { event_type: 'patient_registered' })).toBe(
      1,
    );
    expect(metricValue(response.body, 'event_processing_duration_seconds_count', { channel: 'http' })).toBe(
      1,
    );
    expect(metricValue(response.body, 'dead_letter_queue_size')).toBe(0);
  });

  it('counts refused writes by code, without quarantining them when there was nothing wrong with the body', async () => {
    await registerPatient(gateway, 'p-fatima');
    await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: gateway.nurseHeaders,
      payload: { patientId: 'p-fatima', firstName: 'F', lastName: 'A', sex: 'female' },
    });
    const metrics = (await get('/metrics')).body;
    expect(
      metricValue(metrics, 'events_failed_total', { channel: 'http', reason: 'GW_ERR_PATIENT_EXISTS' }),
    ).toBe(1);
    expect(metricValue(metrics, 'dead_letter_queue_size')).toBe(0);
  });
});

describe('the OpenAPI document', () => {
  const apiRoutes = {
    '/api/v1/patients': ['get', 'post'],
    '/api/v1/patients/{patientId}': ['get', 'patch'],
    '/api/v1/patients/{patientId}/timeline': ['get'],
    '/api/v1/patients/{patientId}/vitals/trend': ['get'],
    '/api/v1/patients/{patientId}/flowsheet': ['get'],
    '/api/v1/news2/trends': ['get'],
    '/api/v1/handover': ['get'],
    '/api/v1/patients/{patientId}/admissions': ['post'],
    '/api/v1/patients/{patientId}/transfers': ['post'],
    '/api/v1/patients/{patientId}/discharge': ['post'],
    '/api/v1/patients/{patientId}/news2-scale': ['put'],
    '/api/v1/patients/{patientId}/vitals': ['post'],
    '/api/v1/alerts': ['get'],
    '/api/v1/alerts/{alertId}/acknowledge': ['post'],
    '/api/v1/devices': ['get'],
    '/api/v1/devices/{deviceId}/qc-results': ['get'],
    '/api/v1/stream': ['get'],
    '/api/v1/quarantine': ['get'],
    '/api/v1/sync': ['get'],
    '/api/v1/session': ['delete', 'get', 'post'],
    '/api/v1/users': ['get', 'post'],
    '/api/v1/users/{userId}/disable': ['post'],
    '/api/v1/patients/{patientId}/national-id/reveal': ['post'],
    '/api/v1/admissions/{sagaId}': ['get'],
    '/api/v1/beds': ['get'],
    '/api/v1/patients/{patientId}/diagnoses': ['get', 'post'],
    '/api/v1/patients/{patientId}/diagnoses/{diagnosisId}/resolution': ['post'],
    '/api/v1/patients/{patientId}/diagnoses/{diagnosisId}': ['patch'],
    '/api/v1/patients/{patientId}/encounters/{encounterId}': ['patch'],
    '/api/v1/patients/{patientId}/medications': ['get', 'post'],
    '/api/v1/patients/{patientId}/medications/{prescriptionId}/administrations': ['post'],
    '/api/v1/patients/{patientId}/medications/{prescriptionId}/discontinuation': ['post'],
    '/api/v1/patients/{patientId}/lab-results': ['get'],
    '/api/v1/lab-tests': ['get'],
    '/api/v1/lab-orders/pending': ['get'],
    '/api/v1/patients/{patientId}/lab-orders': ['get', 'post'],
    '/api/v1/patients/{patientId}/lab-orders/{orderId}/collected': ['post'],
    '/api/v1/patients/{patientId}/lab-orders/{orderId}/cancellation': ['post'],
  };

  it('is OpenAPI 3 at /docs/json and lists every /api/v1 route with its methods', async () => {
    const response = await get('/docs/json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    const listed = Object.fromEntries(
      Object.entries(document.paths as Record<string, Record<string, unknown>>)
        .filter(([path]) => path.startsWith('/api/v1/'))
        .map(([path, methods]) => [path, Object.keys(methods).sort()]),
    );
    expect(listed).toEqual(apiRoutes);
    expect(
      document.paths['/api/v1/patients'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['firstName', 'lastName', 'sex']);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/metrics']));
  });

  it('is browsable at /docs with Swagger UI served by the gateway itself, nothing from a CDN', async () => {
    const response = await get('/docs');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('swagger-ui');
    expect(response.body).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const assets = [...response.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/docs\//);
      expect((await get(asset)).statusCode, asset).toBe(200);
    }
  });
});

describe('errors', () => {
  it('an unknown route answers 404 with a code, like every other error', async () => {
    const response = await get('/api/v1/nothing-here?x=1');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toEqual({
      code: 'GW_ERR_ROUTE_UNKNOWN',
      message: 'Nothing is served at GET /api/v1/nothing-here',
      statusCode: 404,
    });
  });

  it('a bad query string answers 400 naming the parameter, counted but not quarantined', async () => {
    const response = await get('/api/v1/alerts?status=everything');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details?.issues).toEqual([
      expect.objectContaining({ field: 'querystring/status', rule: 'enum' }),
    ]);
    expect((await get('/api/v1/quarantine')).json().quarantined).toEqual([]);
    expect(
      metricValue((await get('/metrics')).body, 'events_failed_total', {
        channel: 'http',
        reason: 'GW_ERR_REQUEST_INVALID',
      }),
    ).toBe(1);
  });

  it('a path parameter over the router limit answers 414 with a code, and the refused write is counted', async () => {
    // Found by the hostile input campaign (docs/reliability.md): Fastify answered FST_ERR_MAX_PARAM_LENGTH itself.
    const response = await gateway.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${'p'.repeat(300)}/discharge`,
      headers: { 'content-type': 'application/json', ...gateway.nurseHeaders },
      payload: '{}',
    });
    expect(response.statusCode).toBe(414);
    expect(errorOf(response)).toEqual(
      expect.objectContaining({ code: 'GW_ERR_REQUEST_INVALID', statusCode: 414 }),
    );
    expect(
      metricValue((await get('/metrics')).body, 'events_failed_total', {
        channel: 'http',
        reason: 'GW_ERR_REQUEST_INVALID',
      }),
    ).toBe(1);
  });

  it('a URL that does not percent-decode answers 400 with a code', async () => {
    const response = await get('/api/v1/patients/%E0%A4%A');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual(
      expect.objectContaining({ code: 'GW_ERR_REQUEST_INVALID', statusCode: 400 }),
    );
  });

  it('a body over the size limit answers 413 with a code', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { 'content-type': 'application/json', ...gateway.nurseHeaders },
      payload: JSON.stringify({ firstName: 'x'.repeat(70_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(errorOf(response).code).toBe('GW_ERR_REQUEST_INVALID');
  });
});
