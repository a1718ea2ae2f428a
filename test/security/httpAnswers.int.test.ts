import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { type Gateway, startGateway } from '../../gateway/gateway.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { type HttpAnswer, httpFrom, statusCounts } from '../harness/httpFrom.ts';
import { newPatient } from '../harness/injectedGateway.ts';
import { addTestUser, loginOverHttp, signInOverHttp } from '../harness/sessions.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

/**
 * What the gateway's HTTP answers and request log give away, probed with
 * real HTTP clients on 127.0.0.1 (docs/security.md#owasp-asvs-40-level-2).
 */
const dir = tempDataDir('nilecare-answers-');
const logLines: string[] = [];
let gateway: Gateway;
let port: number;
let nurse: { headers: { cookie: string } };
const patientId = 'p-secret-4711';

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  gateway = await startGateway(
    resolveGatewayOptions({
      dataDir: dir.path,
      httpHost: '127.0.0.1',
      httpPort: 0,
      mqttHost: '127.0.0.1',
      mqttPort: 0,
      logLevel: 'info',
      backupSchedule: '',
    }),
    { clock: () => new Date(), newId: uuidV7, logger },
  );
  port = gateway.httpPort;
  nurse = await signInOverHttp(gateway, 'nurse');
  const registered = await call('POST', '/api/v1/patients', nurse.headers, newPatient(patientId));
  expect(registered.status, registered.body).toBe(201);
});
afterAll(async () => {
  await gateway?.close();
  dir.remove();
});

const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  httpFrom('127.0.0.1', port, method, path, { headers, ...(body === undefined ? {} : { body }) });
const reveal = (headers: Record<string, string>, reason: string) =>
  call('POST', `/api/v1/patients/${patientId}/national-id/reveal`, headers, { reason });

describe('every answer', () => {
  it('carries nosniff and no-referrer, and no-store on anything under /api/ (patient data, errors, the reveal)', async () => {
    const answers: [string, HttpAnswer][] = [
      ['health', await call('GET', '/health')],
      ['signed out', await call('GET', '/api/v1/patients')],
      ['patient list', await call('GET', '/api/v1/patients', nurse.headers)],
      ['chart', await call('GET', `/api/v1/patients/${patientId}`, nurse.headers)],
      ['reveal', await reveal(nurse.headers, 'identity_verification')],
      ['unknown route', await call('GET', '/api/v1/nothing-here', nurse.headers)],
    ];
    for (const [what, answer] of answers) {
      expect(answer.headers['x-content-type-options'], what).toBe('nosniff');
      expect(answer.headers['referrer-policy'], what).toBe('no-referrer');
      // Plain HTTP: HSTS is sent over HTTPS only (tlsAndHeaders.int.test.ts).
      expect(answer.headers['strict-transport-security'], what).toBeUndefined();
    }
    for (const [what, answer] of answers.slice(1))
      expect(answer.headers['cache-control'], what).toBe('no-store');
  });
});

describe('signing in again from the same browser', () => {
  it('ends the session it had: the old token opens nothing any more', async () => {
    const user = await addTestUser(gateway.services, 'physician');
    const first = await loginOverHttp(`http://127.0.0.1:${port}`, user.username, user.password);
    const again = await call('POST', '/api/v1/session', first, {
      username: user.username,
      password: user.password,
    });
    expect(again.status).toBe(200);
    const second = { cookie: String(again.headers['set-cookie']).split(';')[0]! };
    expect(second.cookie).not.toBe(first.cookie);
    const old = await call('GET', '/api/v1/session', first);
    expect(old.status).toBe(401);
    expect(old.code).toBe('GW_ERR_AUTH_REQUIRED');
    expect((await call('GET', '/api/v1/session', second)).status).toBe(200);
  });
});

describe('a new password', () => {
  it('of only spaces is refused with 400 GW_ERR_PASSWORD_WEAK', async () => {
    const admin = await signInOverHttp(gateway, 'admin');
    for (const password of [' '.repeat(12), ' '.repeat(40)]) {
      const answer = await call('POST', '/api/v1/users', admin.headers, {
        username: `spaces-${password.length}`,
        displayName: 'Spaces',
        role: 'nurse',
        password,
      });
      expect(answer.status).toBe(400);
      expect(answer.code).toBe('GW_ERR_PASSWORD_WEAK');
    }
  });
});

describe('revealing a national ID', () => {
  it('needs a listed purpose or a reason of a few words: "ok", "x" and one long word are refused', async () => {
    const physician = await signInOverHttp(gateway, 'physician');
    for (const reason of ['ok', 'x', 'why not', 'verification', '1234567890 12']) {
      const answer = await reveal(physician.headers, reason);
      expect(answer.status, reason).toBe(400);
      expect(answer.code).toBe('GW_ERR_REQUEST_INVALID');
    }
    for (const reason of ['referral', 'Confirming identity for referral', 'تأكيد هوية المريض'])
      expect((await reveal(physician.headers, reason)).status, reason).toBe(200);
  });

  it('is limited per user: 25 at once give 20 IDs and 5 × 429, and a colleague is not stopped', async () => {
    const physician = await signInOverHttp(gateway, 'physician');
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => reveal(physician.headers, 'Confirming identity for referral')),
    );
    expect(statusCounts(answers)).toEqual({ 200: 20, 429: 5 });
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.code).toBe('GW_ERR_NATIONAL_ID_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const colleague = await signInOverHttp(gateway, 'physician');
    expect((await reveal(colleague.headers, 'Confirming identity for referral')).status).toBe(200);
  });
});

describe('the request log', () => {
  it('names no patient id in the URLs it logs', async () => {
    await call('GET', `/api/v1/patients/${patientId}/timeline`, nurse.headers);
    await call('GET', `/api/v1/patients/${patientId}?patientId=${patientId}`, nurse.headers);
    const requestLines = logLines.filter((line) => line.includes('"req":'));
    expect(requestLines.some((line) => line.includes('/patients/:patientId'))).toBe(true);
    for (const line of requestLines) expect(line).not.toContain(patientId);
  });
});
