import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, loginOverHttp, type TestUser } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { manualClock, newPatient } from '../../harness/injectedGateway.ts';

const nationalId = 'SD7391046285';

let gateway: TestGateway;
let base: string;
let nurse: TestUser & { headers: { cookie: string } };
let technician: { cookie: string };

beforeAll(async () => {
  gateway = await startTestGateway({}, manualClock('2026-11-26T09:30:00.000Z'));
  base = `http://127.0.0.1:${gateway.httpPort}`;
  const nurseUser = await addTestUser(gateway.services, 'nurse', { displayName: 'آمنة عثمان' });
  nurse = { ...nurseUser, headers: await loginOverHttp(base, nurseUser.username, nurseUser.password) };
  const tech = await addTestUser(gateway.services, 'technician');
  technician = await loginOverHttp(base, tech.username, tech.password);
  const registered = await post(
    '/api/v1/patients',
    newPatient('p-fatima', { sudanNationalId: nationalId, phone: '+249912345678' }),
    nurse.headers,
  );
  expect(registered.status).toBe(201);
  const noId = await post(
    '/api/v1/patients',
    { patientId: 'p-noid', firstName: 'S', lastName: 'A', sex: 'female' },
    nurse.headers,
  );
  expect(noId.status).toBe(201);
});
afterAll(async () => {
  await gateway.stop();
});

function post(path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const reveal = (patientId: string, body: unknown, headers: Record<string, string>) =>
  post(`/api/v1/patients/${patientId}/national-id/reveal`, body, headers);
const accessEvents = () =>
  [...gateway.services.log.iterate(1)].filter((event) => event.eventType === 'sudan_national_id_accessed');

describe('revealing a national ID', () => {
  it('answers it in clear after appending sudan_national_id_accessed with the user, the reason and the time', async () => {
    const before = gateway.services.log.head.seq;
    const response = await reveal('p-fatima', { reason: 'Confirming identity for referral' }, nurse.headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ nationalId });

    const events = [...gateway.services.log.iterate(before + 1)];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'sudan_national_id_accessed',
      patientId: 'p-fatima',
      userId: nurse.userId,
      userName: 'آمنة عثمان',
      userRole: 'nurse',
      source: 'audit-service',
      timestamp: '2026-11-26T09:30:00.000Z',
      data: {
        accessReason: 'Confirming identity for referral',
        accessedAt: '2026-11-26T09:30:00.000Z',
        ipAddress: '127.0.0.1',
        requiresAudit: true,
      },
    });
    // The access is audited; the ID itself never enters the log in clear.
    expect(JSON.stringify(events[0])).not.toContain(nationalId);
  });

  it('is refused to a technician with 403 GW_ERR_ROLE_FORBIDDEN, and nothing is appended', async () => {
    const before = accessEvents().length;
    const response = await reveal('p-fatima', { reason: 'Curious' }, technician);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { code: string };
    expect(body.code).toBe('GW_ERR_ROLE_FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain(nationalId);
    expect(accessEvents()).toHaveLength(before);
  });

  it('needs a listed purpose or a reason of a few words: 400, nothing appended, nothing revealed', async () => {
    const before = accessEvents().length;
    for (const body of [{}, { reason: 'ok' }, { reason: '   ' }, { reason: 'x'.repeat(201) }]) {
      const response = await reveal('p-fatima', body, nurse.headers);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.text()).not.toContain(nationalId);
    }
    expect(accessEvents()).toHaveLength(before);
  });

  it('answers 404 for an unknown patient and for a patient with no national ID, appending nothing', async () => {
    const before = accessEvents().length;
    const unknown = await reveal('nobody', { reason: 'Checking the record' }, nurse.headers);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('GW_ERR_PATIENT_UNKNOWN');
    const missing = await reveal('p-noid', { reason: 'Checking the record' }, nurse.headers);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('GW_ERR_NATIONAL_ID_MISSING');
    expect(accessEvents()).toHaveLength(before);
  });

  it('leaves the ID masked everywhere else: the chart and the list', async () => {
    for (const path of ['/api/v1/patients/p-fatima', '/api/v1/patients']) {
      const text = await (await fetch(`${base}${path}`, { headers: nurse.headers })).text();
      expect(text, path).toMatch(/•+6285/);
      expect(text, path).not.toContain(nationalId);
    }
  });
});
