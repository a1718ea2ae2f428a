import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { addTestUser, loginOverHttp, type TestUser } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { databaseFilesText, manualClock, type ManualClock } from '../../harness/injectedGateway.ts';

let gateway: TestGateway;
let clock: ManualClock;
let nurse: TestUser;
let base: string;

beforeEach(async () => {
  clock = manualClock();
  gateway = await startTestGateway({ sessionIdleMinutes: 15, sessionMaxHours: 12 }, clock);
  base = `http://127.0.0.1:${gateway.httpPort}`;
  nurse = await addTestUser(gateway.services, 'nurse', { username: 'amna', displayName: 'آمنة عثمان' });
});
afterEach(async () => {
  await gateway.stop();
});

const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
const whoAmI = (headers: Record<string, string>) => fetch(`${base}/api/v1/session`, { headers });
const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('signing in (POST /api/v1/session)', () => {
  it('answers the user and sets an httpOnly, SameSite=Strict session cookie for the whole site', async () => {
    const response = await signIn('amna', nurse.password);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { userId: nurse.userId, username: 'amna', displayName: 'آمنة عثمان', role: 'nurse' },
    });
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^nilecare_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    // Plain HTTP on the clinic LAN: a Secure cookie would never come back.
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('takes the username in any case', async () => {
    expect((await signIn('AMNA', nurse.password)).status).toBe(200);
  });

  it('gives the same 401 for an unknown user and a wrong password, and sets no cookie', async () => {
    const unknown = await signIn('nobody', nurse.password);
    const wrong = await signIn('amna', `${nurse.password}x`);
    for (const response of [unknown, wrong]) {
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(await unknown.json()).toEqual(await wrong.json());
    const metrics = await scrapeMetrics(gateway.httpPort);
    expect(
      metricValue(metrics, 'events_failed_total', { channel: 'http', reason: 'GW_ERR_LOGIN_FAILED' }),
    ).toBe(2);
  });

  it('refuses a disabled user with the same 401, and ends the sessions the user had', async () => {
    const { cookie } = await loginOverHttp(base, 'amna', nurse.password);
    const admin = await addTestUser(gateway.services, 'admin');
    const adminHeaders = await loginOverHttp(base, admin.username, admin.password);
    const disabled = await fetch(`${base}/api/v1/users/${nurse.userId}/disable`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(disabled.status).toBe(200);
    expect(await codeOf(await whoAmI({ cookie }))).toBe('GW_ERR_AUTH_REQUIRED');
    const again = await signIn('amna', nurse.password);
    expect(again.status).toBe(401);
    expect(await codeOf(again)).toBe('GW_ERR_LOGIN_FAILED');
  });
});

describe('a session', () => {
  it('names its user at GET /api/v1/session, and a request without one is refused 401 GW_ERR_AUTH_REQUIRED', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    const me = await whoAmI(headers);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { userId: string } }).user.userId).toBe(nurse.userId);
    const none = await whoAmI({});
    expect(none.status).toBe(401);
    expect(await codeOf(none)).toBe('GW_ERR_AUTH_REQUIRED');
  });

  it('ends at DELETE /api/v1/session: 204, the cookie cleared, the token no longer accepted', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    const out = await fetch(`${base}/api/v1/session`, {
      method: 'DELETE',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^nilecare_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await whoAmI(headers);
    expect(after.status).toBe(401);
    expect(await codeOf(after)).toBe('GW_ERR_AUTH_REQUIRED');
  });

  it('ends after the idle timeout with 401 GW_ERR_SESSION_EXPIRED, and each request slides the window', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    clock.advanceSeconds(10 * 60);
    expect((await whoAmI(headers)).status).toBe(200);
    clock.advanceSeconds(10 * 60);
    // 20 minutes after sign-in, 10 after the last request: still signed in.
    expect((await whoAmI(headers)).status).toBe(200);
    clock.advanceSeconds(15 * 60);
    const expired = await whoAmI(headers);
    expect(expired.status).toBe(401);
    expect(await codeOf(expired)).toBe('GW_ERR_SESSION_EXPIRED');
    expect(expired.headers.getSetCookie()[0]).toMatch(/^nilecare_session=;/);
  });

  it('ends after its longest lifetime however busy it is', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    for (let minutes = 0; minutes < 12 * 60 - 10; minutes += 10) {
      clock.advanceSeconds(10 * 60);
      expect((await whoAmI(headers)).status, `after ${minutes + 10} min`).toBe(200);
    }
    clock.advanceSeconds(10 * 60);
    const expired = await whoAmI(headers);
    expect(await codeOf(expired)).toBe('GW_ERR_SESSION_EXPIRED');
  });

  it('ends the live stream it opened once it expires, and the reconnection is refused', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    const patient = { patientId: 'p-1', firstName: 'F', lastName: 'A', sex: 'female' };
    const post = (path: string, body: unknown, as: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/patients', patient, headers)).status).toBe(201);
    const stream = await fetch(`${base}/api/v1/stream`, { headers });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the connection comment

    clock.advanceSeconds(16 * 60);
    // A colleague signs in and records vitals: the unattended screen's stream ends instead of showing them.
    const colleague = await addTestUser(gateway.services, 'nurse');
    const colleagueHeaders = await loginOverHttp(base, colleague.username, colleague.password);
    expect((await post('/api/v1/patients/p-1/vitals', { heartRate: 140 }, colleagueHeaders)).status).toBe(
      201,
    );
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).not.toContain('vital_signs_recorded');
    const again = await fetch(`${base}/api/v1/stream`, { headers });
    expect(again.status).toBe(401);
    expect(await codeOf(again)).toBe('GW_ERR_SESSION_EXPIRED');
  });

  it('is never named by the old X-NileCare-User-* headers: a header-only request is refused', async () => {
    const response = await fetch(`${base}/api/v1/patients`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-nilecare-user-id': 'nurse-amna',
        'x-nilecare-user-name': 'Amna',
        'x-nilecare-user-role': 'admin',
      },
      body: JSON.stringify({ patientId: 'p-1', firstName: 'F', lastName: 'A', sex: 'female' }),
    });
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('GW_ERR_AUTH_REQUIRED');
    expect(gateway.services.log.head.seq).toBe(0);
  });

  it('stamps every action it takes with userId, userName and userRole', async () => {
    const headers = await loginOverHttp(base, 'amna', nurse.password);
    const registered = await fetch(`${base}/api/v1/patients`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ patientId: 'p-1', firstName: 'F', lastName: 'A', sex: 'female' }),
    });
    expect(registered.status).toBe(201);
    const [event] = [...gateway.services.log.iterate(1)];
    expect(event).toMatchObject({
      eventType: 'patient_registered',
      userId: nurse.userId,
      userName: 'آمنة عثمان',
      userRole: 'nurse',
    });
  });
});

describe('failed sign-ins', () => {
  it('after five for one username, answer 429 GW_ERR_LOGIN_RATE_LIMITED with Retry-After, even with the right password', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await signIn('amna', 'wrong-password')).status).toBe(401);
    const limited = await signIn('amna', nurse.password);
    expect(limited.status).toBe(429);
    expect(await codeOf(limited)).toBe('GW_ERR_LOGIN_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBe(15 * 60);
    expect(limited.headers.getSetCookie()).toEqual([]);

    clock.advanceSeconds(15 * 60);
    expect((await signIn('amna', nurse.password)).status).toBe(200);
  });

  it('after ten from one address across usernames, stop that address too', async () => {
    const other = await addTestUser(gateway.services, 'physician');
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10'])
      expect((await signIn(name, 'wrong-password')).status).toBe(401);
    const limited = await signIn(other.username, other.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('are counted but never quarantined: the body holds a password', async () => {
    const response = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"username":"amna","password":"${nurse.password}"`,
    });
    expect(response.status).toBe(400);
    expect(gateway.services.quarantine.count()).toBe(0);
  });
});

describe('passwords at rest', () => {
  it('are scrypt hashes: no password in clear anywhere in the database files', async () => {
    const admin = await addTestUser(gateway.services, 'admin');
    const adminHeaders = await loginOverHttp(base, admin.username, admin.password);
    const password = 'Khartoum-night-shift-2026';
    const created = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'huda', displayName: 'Huda', role: 'physician', password }),
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(await created.json())).not.toMatch(/scrypt|Khartoum/);
    await loginOverHttp(base, 'huda', password);
    const stored = gateway.services.db
      .prepare("SELECT password_hash FROM users WHERE username = 'huda'")
      .get() as {
      password_hash: string;
    };
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    gateway.services.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseFilesText(gateway.dataDir)).not.toContain(password);
    expect(databaseFilesText(gateway.dataDir)).not.toContain(nurse.password);
  });

  it('shorter than 12 characters are refused with 400 GW_ERR_PASSWORD_WEAK', async () => {
    const admin = await addTestUser(gateway.services, 'admin');
    const adminHeaders = await loginOverHttp(base, admin.username, admin.password);
    const response = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'huda', displayName: 'Huda', role: 'nurse', password: 'elevenchars' }),
    });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('GW_ERR_PASSWORD_WEAK');
  });
});
