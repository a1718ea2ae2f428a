import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const nationalId = 'SD7391046285';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('revealing a national ID on the nurse screen', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  const patientId = 'reveal-patient';
  const accessEvents = () =>
    [...gateway.services.log.iterate(1)].filter((event) => event.eventType === 'sudan_national_id_accessed');

  beforeAll(async () => {
    gateway = await startTestGateway();
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Samia',
      lastName: 'Babiker',
      ward: 'Ward A',
      bed: 'A6',
      sudanNationalId: nationalId,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('shows it masked, asks for a reason, shows it in full and the log records who, why and when', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse', {
      username: 'huda',
      displayName: 'Huda Omer',
    });
    const { context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    await signInThroughForm(page, nurse.username, nurse.password);
    await page.goto(`/patients/${patientId}`);
    const shown = page.locator('#national-id');
    await expect.poll(() => shown.textContent()).toMatch(/6285$/);
    expect(await shown.textContent()).not.toContain(nationalId);
    expect(accessEvents()).toHaveLength(0);

    await page.locator('#reveal-national-id').click();
    const dialog = page.locator('#reveal-dialog');
    await dialog.waitFor({ state: 'visible' });
    // No reason, no reveal: the form will not submit.
    await dialog.getByRole('button', { name: en['reveal.confirm'] }).click();
    expect(await dialog.isVisible()).toBe(true);
    expect(accessEvents()).toHaveLength(0);
    await dialog.locator('[name="reason"]').selectOption('referral');
    await dialog.getByRole('button', { name: en['reveal.confirm'] }).click();
    await expect.poll(() => shown.textContent()).toBe(nationalId);

    const [access] = accessEvents();
    expect(accessEvents()).toHaveLength(1);
    expect(access?.patientId).toBe(patientId);
    expect(access?.userId).toBe(nurse.userId);
    expect(access?.userName).toBe('Huda Omer');
    expect(JSON.stringify(access?.data)).toContain('referral');
    expect(JSON.stringify(access)).not.toContain(nationalId);
    expect(Date.now() - Date.parse(access!.recordedAt)).toBeLessThan(60_000);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('refuses a technician: no chart, no national ID, nothing recorded', async () => {
    const technician = await addTestUser(gateway.services, 'technician', { username: 'tarig' });
    const { context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    await signInThroughForm(page, technician.username, technician.password);
    const before = accessEvents().length;
    // The board says why it is empty rather than showing an empty ward.
    await expect.poll(() => page.locator('main .status-line').textContent()).toContain(en['error.forbidden']);
    await page.goto(`/patients/${patientId}`);
    await expect.poll(() => page.locator('main .status-line').textContent()).toContain(en['error.forbidden']);
    expect(await page.locator('main').textContent()).not.toContain(nationalId);
    // The same request the reveal button makes, with the technician's session cookie.
    const reveal = await page.request.post(`/api/v1/patients/${patientId}/national-id/reveal`, {
      data: { reason: 'identity_verification' },
    });
    expect(reveal.status()).toBe(403);
    expect((await reveal.json()).code).toBe('GW_ERR_ROLE_FORBIDDEN');
    expect(await reveal.text()).not.toContain(nationalId);
    expect(accessEvents()).toHaveLength(before);
    await context.close();
  });
});
