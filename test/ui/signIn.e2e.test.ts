import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('signing in and out of the nurse screen', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  /** The gateway's clock runs this far ahead of the real one: the test moves time instead of waiting. */
  let aheadMs = 0;

  beforeAll(async () => {
    gateway = await startTestGateway({}, () => new Date(Date.now() + aheadMs));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('refuses a wrong password, lets the right one in, and names the user in the top bar', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse', {
      username: 'rania',
      displayName: 'Rania Musa',
    });
    const { context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    await page.goto('/');
    await page.locator('#login-username').fill(nurse.username);
    await page.locator('#login-password').fill('not-the-password');
    await page.locator('#login-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#login-form .status-line').textContent()).toBe(en['login.refused']);
    await page.locator('#login-password').fill(nurse.password);
    await page.locator('#login-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#user').textContent()).toBe(`Rania Musa · ${en['role.nurse']}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(en['board.title']);
    // A reload keeps the session (httpOnly cookie), and sign-out ends it.
    await page.reload();
    await page.locator('#user').waitFor();
    await page.locator('#sign-out').click();
    await page.locator('#login-form').waitFor();
    await page.reload();
    await page.locator('#login-form').waitFor();
    await context.close();
  });

  it('after a period of inactivity, brings back the sign-in form saying why', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse', { username: 'salma' });
    const { context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    await signInThroughForm(page, nurse.username, nurse.password);
    await page.locator('h1').waitFor();
    // The tablet lies untouched past the idle timeout: the screen finds out by itself (its next
    // request, or its live stream being closed) and asks for the password again, saying why.
    aheadMs = (gateway.services.options.sessionIdleMinutes + 1) * 60_000;
    await page.locator('#login-form').waitFor();
    expect(await page.locator('#login-form').textContent()).toContain(en['login.expired']);
    aheadMs = 0;
    await signInThroughForm(page, nurse.username, nurse.password);
    await context.close();
  });
});
