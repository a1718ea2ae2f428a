import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPatient } from '../harness/injectedGateway.ts';
import { metricValue, scrapeMetrics } from '../harness/prometheusText.ts';
import { addTestUser, loginOverHttp, signInOverHttp, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * A hostile client on the clinic network, with curl's freedom: requests that
 * change something without a JSON body, or that say they come from a page of
 * another origin (another port of the same host is another origin, though the
 * same site for the SameSite=Strict cookie). Each is refused and nothing changes
 * (docs/security-access.md#requests-from-other-sites).
 */
let gateway: TestGateway;
let base: string;
let nurse: { cookie: string };
let admin: { cookie: string };
let colleague: TestUser;
/** A page of the same host on another port: same site, another origin. */
let otherOrigin: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  base = `http://127.0.0.1:${gateway.httpPort}`;
  otherOrigin = `http://127.0.0.1:${gateway.httpPort === 65535 ? 1 : gateway.httpPort + 1}`;
  nurse = (await signInOverHttp(gateway, 'nurse')).headers;
  admin = (await signInOverHttp(gateway, 'admin')).headers;
  colleague = await addTestUser(gateway.services, 'nurse');
  expect((await json('POST', '/api/v1/patients', newPatient('p-csrf'), nurse)).status).toBe(201);
});
afterAll(async () => {
  await gateway?.stop();
});

function json(method: string, path: string, body: unknown, session: { cookie?: string }, extra = {}) {
  return fetch(`${base}${path}`, {
    method,
    headers: { ...session, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
}

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { code: string }).code;
}

let patients = 0;
/** A fresh critical alert, on a new patient: a hand-entered SpO2 of 84 %. */
async function activeAlert(): Promise<string> {
  const patientId = `p-alert-${++patients}`;
  expect((await json('POST', '/api/v1/patients', newPatient(patientId), nurse)).status).toBe(201);
  expect(
    (await json('POST', `/api/v1/patients/${patientId}/vitals`, { oxygenSaturation: 84 }, nurse)).status,
  ).toBe(201);
  const { alerts } = (await (await fetch(`${base}/api/v1/alerts`, { headers: nurse })).json()) as {
    alerts: { alertId: string; patientId?: string }[];
  };
  const alert = alerts.find((open) => open.patientId === patientId);
  if (!alert) throw new Error(`no alert for ${patientId} after an SpO2 of 84 %`);
  return alert.alertId;
}

async function alertStatus(alertId: string): Promise<string | undefined> {
  const { alerts } = (await (await fetch(`${base}/api/v1/alerts?status=all`, { headers: nurse })).json()) as {
    alerts: { alertId: string; status: string }[];
  };
  return alerts.find((alert) => alert.alertId === alertId)?.status;
}

async function isEnabled(user: TestUser): Promise<boolean> {
  const { users } = (await (await fetch(`${base}/api/v1/users`, { headers: admin })).json()) as {
    users: { userId: string; disabledAt: string | null }[];
  };
  return users.find((listed) => listed.userId === user.userId)?.disabledAt === null;
}

describe('a state-changing request without a JSON body', () => {
  it('a bodiless POST acknowledging an alert is refused with 415 GW_ERR_JSON_BODY_REQUIRED, and the alert stays active', async () => {
    const alertId = await activeAlert();
    const response = await fetch(`${base}/api/v1/alerts/${alertId}/acknowledge`, {
      method: 'POST',
      headers: nurse,
    });
    expect(response.status).toBe(415);
    expect(await codeOf(response)).toBe('GW_ERR_JSON_BODY_REQUIRED');
    expect(await alertStatus(alertId)).toBe('active');
  });

  it('a text/plain POST disabling a user is refused with 415, and the user can still sign in', async () => {
    const response = await fetch(`${base}/api/v1/users/${colleague.userId}/disable`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(await codeOf(response)).toBe('GW_ERR_JSON_BODY_REQUIRED');
    expect(await isEnabled(colleague)).toBe(true);
    await loginOverHttp(base, colleague.username, colleague.password);
  });

  it('a form-encoded sign-out is refused with 415, and the session goes on', async () => {
    const session = (await signInOverHttp(gateway, 'nurse')).headers;
    const response = await fetch(`${base}/api/v1/session`, {
      method: 'DELETE',
      headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(response.status).toBe(415);
    expect((await fetch(`${base}/api/v1/session`, { headers: session })).status).toBe(200);
  });

  it('is taken as {} with application/json: the alert is acknowledged and sign-out works', async () => {
    const alertId = await activeAlert();
    expect((await json('POST', `/api/v1/alerts/${alertId}/acknowledge`, {}, nurse)).status).toBe(200);
    expect(await alertStatus(alertId)).toBe('acknowledged');
    const session = (await signInOverHttp(gateway, 'nurse')).headers;
    expect((await json('DELETE', '/api/v1/session', {}, session)).status).toBe(204);
    expect((await fetch(`${base}/api/v1/session`, { headers: session })).status).toBe(401);
  });
});

describe('a state-changing request a browser says comes from another origin', () => {
  it('with Origin of another port of the host is refused with 403 GW_ERR_CROSS_SITE_REFUSED, even as JSON, and nothing is recorded', async () => {
    const headBefore = gateway.services.log.head.seq;
    const response = await json('POST', '/api/v1/patients', newPatient('p-forged'), nurse, {
      origin: otherOrigin,
    });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('GW_ERR_CROSS_SITE_REFUSED');
    expect(gateway.services.log.head.seq).toBe(headBefore);
    expect((await fetch(`${base}/api/v1/patients/p-forged`, { headers: nurse })).status).toBe(404);
  });

  it('with Sec-Fetch-Site same-site or cross-site is refused with 403, also without an Origin', async () => {
    const alertId = await activeAlert();
    for (const site of ['same-site', 'cross-site']) {
      const response = await json('POST', `/api/v1/alerts/${alertId}/acknowledge`, {}, nurse, {
        'sec-fetch-site': site,
      });
      expect(response.status, site).toBe(403);
      expect(await codeOf(response)).toBe('GW_ERR_CROSS_SITE_REFUSED');
    }
    expect(await alertStatus(alertId)).toBe('active');
  });

  it('signing in or out from another origin is refused: no session is started or ended', async () => {
    const signIn = await json(
      'POST',
      '/api/v1/session',
      { username: colleague.username, password: colleague.password },
      {},
      { origin: otherOrigin },
    );
    expect(signIn.status).toBe(403);
    expect(signIn.headers.getSetCookie()).toEqual([]);
    const out = await json('DELETE', '/api/v1/session', {}, nurse, { origin: 'null' });
    expect(out.status).toBe(403);
    expect((await fetch(`${base}/api/v1/session`, { headers: nurse })).status).toBe(200);
  });

  it('from its own origin (Origin and Sec-Fetch-Site same-origin) is taken', async () => {
    const alertId = await activeAlert();
    const response = await json('POST', `/api/v1/alerts/${alertId}/acknowledge`, { note: 'seen' }, nurse, {
      origin: base,
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(200);
    expect(await alertStatus(alertId)).toBe('acknowledged');
  });

  it('is counted in events_failed_total by its code', async () => {
    const refused = async () =>
      metricValue(await scrapeMetrics(gateway.httpPort), 'events_failed_total', {
        channel: 'http',
        reason: 'GW_ERR_CROSS_SITE_REFUSED',
      });
    const before = await refused();
    const response = await json('PATCH', '/api/v1/patients/p-csrf', { locality: 'Bahri' }, nurse, {
      origin: otherOrigin,
    });
    expect(response.status).toBe(403);
    expect(await refused()).toBe(before + 1);
  });
});
