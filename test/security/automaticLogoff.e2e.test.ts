import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundRequestHeader } from '../../gateway/http/contract/browserRequests.ts';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/** The idle timeout of this gateway, in minutes: 18 seconds, so the test waits in real time. */
const IDLE_MINUTES = 0.3;
const idleMs = IDLE_MINUTES * 60_000;
/** How often the ward board reads the patient list again (ui/src/wardStore.ts), in milliseconds. */
const BOARD_POLL_MS = 15_000;

/**
 * A nurse signs in on the ward board and leaves it. The board keeps reading
 * the ward every 15 seconds and holds the live stream open, in real time, on
 * the real clock: none of it is the nurse, so the session ends one idle
 * timeout after her last touch and the board goes back to the sign-in form
 * (docs/security-access.md#sessions; 45 CFR 164.312(a)(2)(iii)).
 */
describe('automatic logoff of the ward board left open', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway({ sessionIdleMinutes: IDLE_MINUTES });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('happens one idle timeout after the last touch, though the board polls and streams all along', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse');
    const { context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    const polls: { at: number; marked: boolean }[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/patients')
        polls.push({ at: Date.now(), marked: request.headers()[backgroundRequestHeader] === '1' });
    });
    await signInThroughForm(page, nurse.username, nurse.password);
    await page.locator('h1').waitFor();

    // Some seconds later she touches the board: that tells the gateway she is there.
    await page.waitForTimeout(6000);
    const reported = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/v1/session' &&
        response.request().headers()[backgroundRequestHeader] === undefined,
    );
    await page.locator('h1').click();
    expect((await reported).status()).toBe(200);
    const touchedAt = Date.now();

    // Then nobody touches it. It goes back to sign-in by itself, saying why.
    await page.locator('#login-form').waitFor({ timeout: idleMs + BOARD_POLL_MS + 20_000 });
    const signedOutAt = Date.now();
    expect(await page.locator('#login-form').textContent()).toContain(en['login.expired']);
    expect(signedOutAt - touchedAt).toBeGreaterThanOrEqual(idleMs - 1000);
    // The board read the ward in between, and that did not keep her signed in: every read is
    // the board's own, marked so the gateway does not count it.
    expect(polls.filter(({ at }) => at > touchedAt && at < touchedAt + idleMs).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(polls.filter(({ marked }) => !marked)).toEqual([]);
    await context.close();
  });
});
