import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../kernel/roles/permissions.ts';
import { addTestUser, loginOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { newPatient } from '../../harness/injectedGateway.ts';

/**
 * The role matrix of docs/security-access.md, written out here rather than read from permissions.ts, so
 * a change to the matrix that the issue does not allow fails this test.
 * nurse: everything clinical, no users; physician: the nurse's rights and
 * more; technician: devices, sync, quarantine, health, no patient data;
 * admin: everything. The chart: nurses admit, give medications, read beds,
 * diagnoses, medications and lab results; diagnosing and prescribing is the
 * physician's (and the admin's).
 */
const care: Role[] = ['nurse', 'physician', 'admin'];
const everyone: Role[] = ['nurse', 'physician', 'technician', 'admin'];
const operations: Role[] = ['technician', 'admin'];
const adminOnly: Role[] = ['admin'];
const prescribers: Role[] = ['physician', 'admin'];

interface Row {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  allowed: Role[];
}

const matrix: Row[] = [
  { method: 'GET', url: '/api/v1/patients', allowed: care },
  {
    method: 'POST',
    url: '/api/v1/patients',
    body: { firstName: 'S', lastName: 'A', sex: 'female' },
    allowed: care,
  },
  { method: 'GET', url: '/api/v1/patients/p-1', allowed: care },
  { method: 'PATCH', url: '/api/v1/patients/p-1', body: { locality: 'Bahri' }, allowed: care },
  { method: 'GET', url: '/api/v1/patients/p-1/timeline', allowed: care },
  { method: 'POST', url: '/api/v1/patients/p-1/admissions', body: { ward: 'A' }, allowed: care },
  { method: 'POST', url: '/api/v1/patients/p-1/transfers', body: { toWard: 'B' }, allowed: care },
  { method: 'POST', url: '/api/v1/patients/p-1/discharge', body: { disposition: 'home' }, allowed: care },
  { method: 'POST', url: '/api/v1/patients/p-1/vitals', body: { heartRate: 80 }, allowed: care },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/national-id/reveal',
    body: { reason: 'Checking identity at admission' },
    allowed: care,
  },
  { method: 'GET', url: '/api/v1/alerts', allowed: care },
  { method: 'POST', url: '/api/v1/alerts/no-such-alert/acknowledge', body: {}, allowed: care },
  { method: 'GET', url: '/api/v1/devices', allowed: everyone },
  { method: 'GET', url: '/api/v1/sync', allowed: everyone },
  { method: 'GET', url: '/api/v1/stream', allowed: everyone },
  { method: 'GET', url: '/api/v1/session', allowed: everyone },
  { method: 'GET', url: '/api/v1/quarantine', allowed: operations },
  { method: 'GET', url: '/api/v1/users', allowed: adminOnly },
  {
    method: 'POST',
    url: '/api/v1/users',
    body: { username: 'new-user', displayName: 'New', role: 'nurse', password: 'long enough password' },
    allowed: adminOnly,
  },
  { method: 'POST', url: '/api/v1/users/no-such-user/disable', body: {}, allowed: adminOnly },
  { method: 'GET', url: '/api/v1/beds', allowed: care },
  { method: 'GET', url: '/api/v1/admissions/no-such-saga', allowed: care },
  { method: 'GET', url: '/api/v1/patients/p-1/diagnoses', allowed: care },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/diagnoses',
    body: { icd10Code: 'B50.9', description: 'Plasmodium falciparum malaria' },
    allowed: prescribers,
  },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/diagnoses/no-such-diagnosis/resolution',
    body: {},
    allowed: prescribers,
  },
  {
    method: 'PATCH',
    url: '/api/v1/patients/p-1/diagnoses/no-such-diagnosis',
    body: { verificationStatus: 'refuted', reason: 'Malaria RDT negative' },
    allowed: prescribers,
  },
  {
    method: 'PATCH',
    url: '/api/v1/patients/p-1/encounters/no-such-encounter',
    body: { encounterClass: 'emergency' },
    allowed: prescribers,
  },
  { method: 'GET', url: '/api/v1/patients/p-1/medications', allowed: care },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/medications',
    body: {
      drugName: 'Artesunate',
      dose: { value: 120, unit: 'mg' },
      route: 'intravenous',
      frequency: 'q12h',
    },
    allowed: prescribers,
  },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/medications/no-such-prescription/administrations',
    body: {},
    allowed: care,
  },
  {
    method: 'POST',
    url: '/api/v1/patients/p-1/medications/no-such-prescription/discontinuation',
    body: { reason: 'course_completed' },
    allowed: prescribers,
  },
  { method: 'GET', url: '/api/v1/patients/p-1/lab-results', allowed: care },
];

/** The screen's script as built into ui/dist (hashed name; the test run builds the UI first). */
function builtScript(): string {
  const name = readdirSync(new URL('../../../ui/dist/', import.meta.url)).find((file) =>
    /^app-.*\.js$/.test(file),
  );
  if (!name) throw new Error('ui/dist has no app-*.js: run npm run build:ui');
  return name;
}

/** Open to anyone, signed in or not. */
const publicRoutes: Row[] = [
  { method: 'GET', url: '/health', allowed: [] },
  { method: 'GET', url: '/metrics', allowed: [] },
  { method: 'GET', url: '/', allowed: [] },
  { method: 'GET', url: `/ui/${builtScript()}`, allowed: [] },
  { method: 'GET', url: '/docs/json', allowed: [] },
  { method: 'DELETE', url: '/api/v1/session', body: {}, allowed: [] },
];

let gateway: TestGateway;
let base: string;
const sessions = new Map<Role, { cookie: string }>();

beforeAll(async () => {
  gateway = await startTestGateway();
  base = `http://127.0.0.1:${gateway.httpPort}`;
  for (const role of everyone) {
    const user = await addTestUser(gateway.services, role);
    sessions.set(role, await loginOverHttp(base, user.username, user.password));
  }
  const registered = await call(
    { method: 'POST', url: '/api/v1/patients', body: newPatient('p-1') },
    'nurse',
  );
  expect(registered.status).toBe(201);
});
afterAll(async () => {
  await gateway.stop();
});

async function call(row: Pick<Row, 'method' | 'url' | 'body'>, role?: Role) {
  const abort = new AbortController();
  const response = await fetch(`${base}${row.url}`, {
    method: row.method,
    headers: {
      ...(role ? sessions.get(role) : {}),
      ...(row.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(row.body === undefined ? {} : { body: JSON.stringify(row.body) }),
    signal: abort.signal,
  });
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
  const body = isStream ? undefined : await response.text();
  abort.abort();
  return {
    status: response.status,
    code: body?.startsWith('{') ? (JSON.parse(body).code as string) : undefined,
  };
}

describe('each route, for each role', () => {
  const cases = matrix.flatMap((row) => everyone.map((role) => ({ ...row, role })));
  it.each(cases)('$method $url as $role', async (row) => {
    const { status, code } = await call(row, row.role);
    if (row.allowed.includes(row.role)) {
      expect(status, `${code}`).not.toBe(401);
      expect(status, `${code}`).not.toBe(403);
      expect(status).toBeLessThan(500);
    } else {
      expect(status).toBe(403);
      expect(code).toBe('GW_ERR_ROLE_FORBIDDEN');
    }
  });

  it.each(matrix)('$method $url without a session: 401 GW_ERR_AUTH_REQUIRED', async (row) => {
    expect(await call(row)).toEqual({ status: 401, code: 'GW_ERR_AUTH_REQUIRED' });
  });

  it.each(publicRoutes)('$method $url is public', async (row) => {
    const { status } = await call(row);
    expect(status).toBeLessThan(300);
  });
});

describe('what the allowed roles get', () => {
  it('a technician sees devices and sync status but no patient, chart or national ID', async () => {
    expect((await call({ method: 'GET', url: '/api/v1/devices' }, 'technician')).status).toBe(200);
    expect((await call({ method: 'GET', url: '/api/v1/sync' }, 'technician')).status).toBe(200);
    for (const url of ['/api/v1/patients', '/api/v1/patients/p-1', '/api/v1/patients/p-1/timeline'])
      expect((await call({ method: 'GET', url }, 'technician')).status, url).toBe(403);
  });

  it('a nurse records vitals and reads the chart; she cannot manage users', async () => {
    expect(
      (await call({ method: 'POST', url: '/api/v1/patients/p-1/vitals', body: { heartRate: 72 } }, 'nurse'))
        .status,
    ).toBe(201);
    expect((await call({ method: 'GET', url: '/api/v1/patients/p-1' }, 'nurse')).status).toBe(200);
    expect((await call({ method: 'GET', url: '/api/v1/users' }, 'nurse')).status).toBe(403);
  });
});
