import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('patients on the nurse screen, in a real browser against a real gateway', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let patientId: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4;Ward B:B1-B4' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    // A physician: registers and admits like a nurse, and may also diagnose and prescribe.
    const physician = await addTestUser(gateway.services, 'physician', {
      username: 'sara',
      displayName: 'Sara Ali',
    });
    await signInThroughForm(page, physician.username, physician.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('registers a patient through the form and shows the national ID masked', async () => {
    await page.getByRole('link', { name: en['nav.patients'] }).click();
    const form = page.locator('#register-form');
    await form.locator('[name="firstName"]').fill('Mariam');
    await form.locator('[name="fatherName"]').fill('Abdelrahman');
    await form.locator('[name="lastName"]').fill('Khalid');
    await form.locator('[name="sex"]').selectOption('female');
    await form.locator('[name="sudanNationalId"]').fill('SD1234567890');
    await form.locator('[name="sudanState"]').selectOption('Kassala');
    await form.getByRole('button', { name: en['register.submit'] }).click();
    await page.waitForURL(/\/patients\/[^/]+$/);
    patientId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mariam Abdelrahman Khalid');
    const shown = await page.locator('#national-id').textContent();
    expect(shown).toMatch(/7890$/);
    expect(shown).not.toContain('SD1234567890');
    const stored = gateway.services.projections.get<{ firstName: string; sudanNationalId?: string }>(
      'patients',
      patientId,
    );
    expect(stored?.firstName).toBe('Mariam');
    // Encrypted at rest: the read model holds ciphertext, never the number.
    expect(stored?.sudanNationalId).toMatch(/^enc:v1:/);
  });

  it('admits the patient to a bed and the ward board shows that bed taken by them', async () => {
    const admit = page.locator('#admit-form');
    await admit.waitFor();
    await chooseBed(admit, 'ward', 'bed', 'Ward B', 'B2');
    await admit.getByRole('button', { name: en['encounter.admit'] }).click();
    await page.locator('#discharge-form').waitFor();
    expect(
      gateway.services.projections.get<{ status: string; bed?: string }>('patients', patientId),
    ).toMatchObject({
      status: 'admitted',
      bed: 'B2',
    });
    await page.getByRole('link', { name: en['nav.board'] }).click();
    const card = page.locator('.card[data-bed="B2"]');
    await expect.poll(() => card.getAttribute('data-state')).toBe('occupied');
    expect(await card.locator('.card__name').textContent()).toBe('Mariam Khalid');
  });

  it('records vital signs by hand and finds them on the board and in the timeline', async () => {
    await page.locator('.card[data-bed="B2"] .card__name').click();
    const form = page.locator('#vitals-form');
    await form.locator('[name="oxygenSaturation"]').fill('96');
    await form.locator('[name="heartRate"]').fill('82');
    await form.getByRole('button', { name: en['vitals.record'] }).click();
    await expect
      .poll(() => page.locator('#timeline li[data-event-type="vital_signs_recorded"]').count())
      .toBe(1);
    const entry = await page.locator('#timeline li[data-event-type="vital_signs_recorded"]').textContent();
    expect(entry).toContain(`${en['vital.heartRate']} 82`);
    expect(entry).toContain('Sara Ali');
    await expect
      .poll(() => page.locator('#timeline li[data-event-type="patient_registered"]').count())
      .toBe(1);
    await page.getByRole('link', { name: en['nav.board'] }).click();
    const pulse = page.locator('.card[data-bed="B2"] .vital[data-parameter="heartRate"]');
    await expect.poll(() => pulse.locator('.vital__value').textContent()).toBe('82');
    expect(await pulse.locator('.vital__note').textContent()).toContain(en['board.manual']);
  });

  it('transfers the patient to another bed and discharges them, and the board follows', async () => {
    await page.locator('.card[data-bed="B2"] .card__name').click();
    const transfer = page.locator('#transfer-form');
    await chooseBed(transfer, 'toWard', 'toBed', 'Ward B', 'B3');
    await transfer.getByRole('button', { name: en['encounter.transfer'] }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Ward B · Bed B3');
    await page.getByRole('link', { name: en['nav.board'] }).click();
    await expect
      .poll(() => page.locator('.card[data-bed="B3"] .card__name').textContent())
      .toBe('Mariam Khalid');
    // The bed left behind is free again, with nobody's name on it.
    await expect.poll(() => page.locator('.card[data-bed="B2"]').getAttribute('data-state')).toBe('free');
    expect(await page.locator('.card[data-bed="B2"] .card__name').textContent()).not.toContain('Mariam');

    await page.locator('.card[data-bed="B3"] .card__name').click();
    const discharge = page.locator('#discharge-form');
    await discharge.locator('[name="disposition"]').selectOption('home');
    await discharge.getByRole('button', { name: en['encounter.discharge'] }).click();
    await page.locator('#admit-form').waitFor();
    expect(await page.locator('.facts').textContent()).toContain(en['patientStatus.discharged']);
    await page.getByRole('link', { name: en['nav.board'] }).click();
    await expect.poll(() => page.locator('.card .card__name', { hasText: 'Mariam Khalid' }).count()).toBe(0);
  });

  it('threw no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** Picks a bed in an admission or transfer form: from the gateway's bed list when it has one, typed otherwise. */
async function chooseBed(
  form: Locator,
  wardField: string,
  bedField: string,
  ward: string,
  bed: string,
): Promise<void> {
  const control = form.locator(`[name="${bedField}"]`);
  if ((await control.evaluate((element) => element.tagName)) === 'SELECT') {
    await control.selectOption(`${ward}|${bed}`);
  } else {
    await form.locator(`[name="${wardField}"]`).fill(ward);
    await control.fill(bed);
  }
}
