import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backgroundRequestHeader } from '../../gateway/http/contract/browserRequests.ts';
import { type ManualClock, manualClock } from '../harness/injectedGateway.ts';
import { signInOverHttp } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * The nurse screen reads the ward again every 15 seconds and holds the live
 * stream open; neither is the nurse. Requests marked as background, and the
 * stream, must not keep a session alive, or automatic logoff never happens on
 * an untouched screen (docs/security-access.md#sessions).
 */
let gateway: TestGateway;
let clock: ManualClock;
let base: string;
let session: { cookie: string };

beforeEach(async () => {
  clock = manualClock();
  gateway = await startTestGateway({ sessionIdleMinutes: 15 }, clock);
  base = `http://127.0.0.1:${gateway.httpPort}`;
  session = (await signInOverHttp(gateway, 'nurse')).headers;
});
afterEach(async () => {
  await gateway.stop();
});

const poll = (path: string) =>
  fetch(`${base}${path}`, { headers: { ...session, [backgroundRequestHeader]: '1' } });
const act = (path: string) => fetch(`${base}${path}`, { headers: session });
const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('a session kept busy only by the screen itself', () => {
  it('is answered while it lasts, but polls every 15 seconds do not stop it ending 15 minutes after the last action', async () => {
    for (let seconds = 15; seconds < 15 * 60; seconds += 15) {
      clock.advanceSeconds(15);
      for (const path of ['/api/v1/patients', '/api/v1/beds'])
        expect((await poll(path)).status, `${path} after ${seconds} s`).toBe(200);
    }
    clock.advanceSeconds(15);
    const ended = await poll('/api/v1/patients');
    expect(ended.status).toBe(401);
    expect(await codeOf(ended)).toBe('GW_ERR_SESSION_EXPIRED');
    expect((await act('/api/v1/session')).status).toBe(401);
  });

  it('is not kept alive by opening the live stream', async () => {
    clock.advanceSeconds(10 * 60);
    const abort = new AbortController();
    const stream = await fetch(`${base}/api/v1/stream`, { headers: session, signal: abort.signal });
    expect(stream.status).toBe(200);
    abort.abort();
    clock.advanceSeconds(6 * 60);
    const ended = await act('/api/v1/session');
    expect(ended.status).toBe(401);
    expect(await codeOf(ended)).toBe('GW_ERR_SESSION_EXPIRED');
  });

  it("is kept alive by the user's own requests, which are not marked", async () => {
    clock.advanceSeconds(10 * 60);
    expect((await act('/api/v1/patients')).status).toBe(200);
    clock.advanceSeconds(10 * 60);
    // 20 minutes after sign-in, 10 after the nurse's last action.
    expect((await poll('/api/v1/patients')).status).toBe(200);
    clock.advanceSeconds(6 * 60);
    expect((await poll('/api/v1/patients')).status).toBe(401);
  });
});
