import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { errorReply } from '../../../gateway/http/contract/errorReply.ts';
import { uiPagePaths } from '../../../gateway/http/routes/wardBoardUi.ts';
import { type StaffOf, type StaffRole, signInStaff } from '../../harness/actorHeaders.ts';
import { buildInjectedGateway, type InjectedGateway } from '../../harness/injectedGateway.ts';

/**
 * Every route the gateway builds, seen as Fastify registers it (onRoute), and
 * every reply body as the handler made it, before Fastify serialised it
 * through the route's reply schema (preSerialization): the gateway's own
 * Fastify factory, wrapped for this file only.
 */
const seen = vi.hoisted(() => ({
  routes: [] as { method: string; url: string; schema?: Record<string, unknown> }[],
  /** `METHOD url` of a request -> JSON of what its handler (or the error handler) sent. */
  unserialised: new Map<string, string>(),
}));
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const build = ((options: Parameters<typeof original.default>[0]) => {
    const app = original.default(options) as unknown as FastifyInstance;
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat())
        seen.routes.push({
          method: String(method),
          url: route.url,
          schema: route.schema as Record<string, unknown>,
        });
    });
    app.addHook('preSerialization', async (request, _reply, payload) => {
      seen.unserialised.set(`${request.method} ${request.url}`, JSON.stringify(payload));
      return payload;
    });
    return app;
  }) as unknown as typeof original.default;
  return { ...original, default: build };
});

let gateway: InjectedGateway;
let staff: StaffOf;
beforeAll(async () => {
  gateway = await buildInjectedGateway();
  staff = await signInStaff(gateway);
  await gateway.app.ready();
});
afterAll(async () => {
  await gateway.close();
});

/** Routes that are not the JSON API: the screen's pages, its built files (@fastify/static) and Swagger UI's own. */
const notTheApi = (url: string) =>
  (uiPagePaths as readonly string[]).includes(url) || url.startsWith('/ui/') || url.startsWith('/docs');

describe('every route of the gateway', () => {
  it('declares a reply schema for its success status and the one error shape for its error statuses', () => {
    const api = seen.routes.filter((route) => route.method !== 'HEAD' && route.schema?.hide !== true);
    expect(api.length).toBeGreaterThan(30);
    const problems = api.flatMap(({ method, url, schema }) => {
      const response = (schema?.response ?? {}) as Record<string, unknown>;
      const statuses = Object.keys(response);
      const where = `${method} ${url}`;
      return [
        ...(statuses.some((status) => /^2\d\d$/.test(status)) ? [] : [`${where}: no 2xx reply schema`]),
        ...(statuses.includes('5xx') ? [] : [`${where}: no 5xx error reply`]),
        ...statuses
          .filter((status) => /^[45]/.test(status) && response[status] !== errorReply)
          .map((status) => `${where}: ${status} is not the error shape`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('leaves out of the contract only the routes that are not the JSON API, all hidden from the document', () => {
    const hidden = seen.routes.filter((route) => route.schema?.hide === true).map((route) => route.url);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.filter((url) => !notTheApi(url))).toEqual([]);
    const unhiddenOthers = seen.routes.filter((route) => notTheApi(route.url) && route.schema?.hide !== true);
    expect(unhiddenOthers).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes a success reply with its content for every operation, and the coded error for its errors', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/docs/json' });
    const document = response.json() as {
      paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
    };
    type ResponseObject = { description?: string; content?: Record<string, { schema?: Schema }> };
    type Schema = { type?: string; required?: string[]; properties?: Record<string, unknown> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ where: `${method} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThan(30);
    const problems = operations.flatMap(({ where, operation }) => {
      const responses = Object.entries(operation.responses ?? {});
      const success = responses.filter(([status]) => status.startsWith('2'));
      const errors = responses.filter(([status]) => /^[45]/.test(status));
      return [
        ...(success.length > 0 ? [] : [`${where}: no success response`]),
        ...success
          .filter(([status, reply]) => status !== '204' && !Object.values(reply.content ?? {})[0]?.schema)
          .map(([status]) => `${where}: ${status} has no content schema`),
        ...(errors.length > 0 ? [] : [`${where}: no error response`]),
        ...errors
          .filter(
            ([, reply]) =>
              JSON.stringify(reply.content?.['application/json']?.schema?.required) !==
              JSON.stringify(['code', 'message', 'statusCode']),
          )
          .map(([status]) => `${where}: ${status} is not the coded error`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('gives the live stream and the metrics their own content types', async () => {
    const { paths } = (await gateway.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(paths['/api/v1/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
    expect(paths['/api/v1/session'].delete.responses['204'].content).toBeUndefined();
  });
});

describe('what the routes send', () => {
  const request = async (
    role: StaffRole,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
  ) => {
    const response = await gateway.app.inject({
      method,
      url,
      headers: staff[role].headers,
      ...(payload ? { payload } : {}),
    });
    const made = seen.unserialised.get(`${method} ${url}`);
    return { response, made: made === undefined ? undefined : JSON.parse(made) };
  };

  it('is all the handler made, on every route of a chart with every field filled in: the schemas drop nothing', async () => {
    const patient = '/api/v1/patients/p-mariam';
    const exchanges = [
      await request('nurse', 'POST', '/api/v1/patients', {
        patientId: 'p-mariam',
        patientMRN: 'MRN-7',
        firstName: 'Mariam',
        lastName: 'Osman',
        fatherName: 'Osman',
        grandfatherName: 'Ali',
        sex: 'female',
        birthDate: '1990-02-03',
        sudanNationalId: 'SD7391046285',
        phone: '+249912345678',
        address: 'Block 4, Street 12',
        locality: 'Omdurman',
        sudanState: 'Khartoum',
        preferredLanguage: 'ar',
        allergies: ['penicillin'],
      }),
      await request('nurse', 'POST', `${patient}/admissions`, {
        ward: 'Ward A',
        reason: 'fever',
        encounterClass: 'inpatient',
        attendingPhysician: 'Dr Yousif',
      }),
      await request('nurse', 'POST', `${patient}/transfers`, {
        toWard: 'Ward A',
        reason: 'closer to the station',
      }),
      await request('nurse', 'POST', `${patient}/vitals`, {
        oxygenSaturation: 86,
        heartRate: 128,
        temperature: 38.9,
      }),
    ];
    const alertId = (await request('nurse', 'GET', '/api/v1/alerts')).made.alerts[0].alertId as string;
    exchanges.push(
      await request('nurse', 'POST', `/api/v1/alerts/${alertId}/acknowledge`, { note: 'seen' }),
      await request('physician', 'POST', `${patient}/diagnoses`, {
        icd10Code: 'B50.9',
        description: 'Plasmodium falciparum malaria',
        category: 'encounter-diagnosis',
        primary: true,
        severity: 'severe',
        onset: '2026-11-24',
        note: 'RDT positive',
      }),
      await request('physician', 'POST', `${patient}/medications`, {
        drugName: 'Artesunate',
        atcCode: 'P01BE03',
        formularyCode: 'SD-EML-112',
        strength: '60 mg',
        dose: { value: 120, unit: 'mg' },
        route: 'intravenous',
        frequency: 'q12h',
        duration: { value: 3, unit: 'd' },
        indication: 'severe malaria',
        instructions: 'slow push',
        startsAt: '2026-11-26T08:00:00.000Z',
      }),
    );
    const prescriptionId = exchanges.at(-1)?.made.prescriptionId as string;
    exchanges.push(
      await request('nurse', 'POST', `${patient}/medications/${prescriptionId}/administrations`, {
        site: 'left forearm',
      }),
    );
    const lab = draftFor(
      gateway.services,
      'lab_result_available',
      {
        resultId: 'res-1',
        orderId: 'ord-1',
        specimen: { specimenId: 'TUBE-1', type: 'whole_blood', collectedAt: '2026-11-26T07:00:00.000Z' },
        testCode: 'HGB',
        testName: 'Haemoglobin',
        value: 9.4,
        unit: 'g/dL',
        referenceRange: { low: 12, high: 16, text: '12-16' },
        flags: ['L'],
        resultStatus: 'final',
        analyzer: 'Mindray BC-3000',
        deviceId: 'bc3000',
        note: 'haemolysed sample rejected first',
        observedAt: '2026-11-26T07:30:00.000Z',
        reportedAt: '2026-11-26T07:45:00.000Z',
      },
      { patientId: 'p-mariam' },
    );
    await gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test',
      draft: { ...lab, source: 'lab-service' },
    });
    await gateway.services.registry.add({ deviceId: 'monitor-7', patientId: 'p-mariam', bed: 'A1' });
    const sagaId = exchanges[1]?.made.sagaId as string;
    for (const [role, url] of [
      ['nurse', '/api/v1/patients'],
      ['nurse', patient],
      ['nurse', `${patient}/timeline`],
      ['nurse', `${patient}/diagnoses`],
      ['nurse', `${patient}/medications`],
      ['nurse', `${patient}/lab-results`],
      ['nurse', '/api/v1/alerts?status=all'],
      ['nurse', '/api/v1/beds'],
      ['nurse', `/api/v1/admissions/${sagaId}`],
      ['admin', '/api/v1/devices'],
      ['admin', '/api/v1/sync'],
      ['admin', '/api/v1/quarantine'],
      ['admin', '/api/v1/users'],
      ['nurse', '/api/v1/session'],
      ['nurse', '/health'],
      ['nurse', '/api/v1/patients/p-nobody'],
    ] as const)
      exchanges.push(await request(role, 'GET', url));

    const writes = exchanges.filter(({ response }) => response.raw.req.method !== 'GET');
    expect(writes.map(({ response }) => response.statusCode)).toEqual([
      201, 201, 200, 201, 200, 201, 201, 201,
    ]);
    for (const { response, made } of exchanges) {
      const where = `${response.statusCode} ${response.raw.req.method} ${response.raw.req.url}`;
      expect(made, where).toBeDefined();
      expect(response.json(), where).toEqual(made);
    }
    // Each optional field made it to the reply, not only the ones a test happened to set.
    const read = (url: string) =>
      exchanges
        .find(({ response }) => response.raw.req.method === 'GET' && response.raw.req.url === url)
        ?.response.json();
    const chart = read(patient);
    expect(chart.patient).toMatchObject({ address: 'Block 4, Street 12', allergies: ['penicillin'] });
    expect(chart.encounters[0].transfers[0]).toMatchObject({ reason: 'closer to the station' });
    expect(chart.latestVitals.parameters.oxygenSaturation).toMatchObject({ value: 86, stale: false });
    expect(read(`${patient}/medications`).prescriptions[0]).toMatchObject({
      formularyCode: 'SD-EML-112',
      administrations: [expect.objectContaining({ site: 'left forearm' })],
    });
    expect(read(`${patient}/lab-results`).results[0]).toMatchObject({
      analyzer: 'Mindray BC-3000',
      orderId: 'ord-1',
    });
    expect(read('/api/v1/patients/p-nobody')).toMatchObject({
      code: 'GW_ERR_PATIENT_UNKNOWN',
      statusCode: 404,
    });
  });
});
