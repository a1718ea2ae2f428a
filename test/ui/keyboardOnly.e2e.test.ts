import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientDoc } from '../../gateway/projections/patients.ts';
import { launchChromium, openPage } from '../harness/browser.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * Presses Tab until the focused element matches `selector`, as a nurse without
 * a mouse would; fails if it is never reached (not focusable, or hidden from
 * the tab order).
 */
async function tabTo(page: Page, selector: string, most = 60): Promise<void> {
  for (let presses = 0; presses < most; presses++) {
    // Strings run in the page: the test's own TypeScript has no DOM.
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with ${most} presses of Tab`);
}

/** Whether the focused element shows that it has the focus (an outline or a ring). */
const focusIsVisible = (page: Page): Promise<boolean> =>
  page.evaluate(`(() => {
    const style = getComputedStyle(document.activeElement);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  })()`);

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the nurse screen with the keyboard alone', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let nurse: TestUser;

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4;Ward B:B1-B4' });
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'mona', displayName: 'Mona Idris' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('signs in by typing and Enter', async () => {
    await page.goto('/');
    await tabTo(page, '#login-username');
    await page.keyboard.type(nurse.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(nurse.password);
    await page.keyboard.press('Enter');
    await page.locator('header.topbar').waitFor();
    expect(await page.locator('#user').textContent()).toContain('Mona Idris');
  });

  it('reaches the patients screen and registers a patient, every step by keyboard, the focus always shown', async () => {
    await tabTo(page, 'a[data-nav="patients"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/patients$/);
    await tabTo(page, '#register-form [name="firstName"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type('Iman');
    await tabTo(page, '#register-form [name="lastName"]');
    await page.keyboard.type('Hamid');
    await tabTo(page, '#register-form [name="sex"]');
    expect(await focusIsVisible(page)).toBe(true);
    await tabTo(page, '#register-form button[type="submit"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/patients\/[^/]+$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Iman Hamid');
  });

  it('admits the patient by keyboard: a bed chosen with the arrow keys, the form sent with Enter', async () => {
    const patientId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    await page.locator('#admit-form').waitFor();
    await tabTo(page, '#admit-form [name="bed"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('ArrowDown');
    const chosen = await page.locator('#admit-form [name="bed"]').inputValue();
    expect(chosen).toBe('Ward A|A1');
    await tabTo(page, '#admit-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.locator('#discharge-form').waitFor();
    expect(gateway.services.projections.get<PatientDoc>('patients', patientId)).toMatchObject({
      status: 'admitted',
      ward: 'Ward A',
      bed: 'A1',
    });
  });

  it('threw no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
