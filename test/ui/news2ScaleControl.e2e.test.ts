import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-hamid';

// docs/ui.md#news2: the chart's NEWS2 says its SpO2 scale; a physician switches it with a reason.
describe("the SpO2 scale control on the chart's NEWS2", { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];
  let physician: TestUser;
  let nurse: TestUser;

  async function chartAs(user: TestUser, locale: string): Promise<Page> {
    const opened = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`, { locale });
    contexts.push(opened.context);
    pageErrors.push(opened.pageErrors);
    await signInThroughForm(opened.page, user.username, user.password);
    await opened.page.goto(`/patients/${patientId}`);
    return opened.page;
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Hamid',
      lastName: 'Yousif',
      ward: 'Ward A',
      bed: 'A2',
    });
    physician = await addTestUser(gateway.services, 'physician', { username: 'dr-nadia' });
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'sister-amna' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('lets a physician switch to scale 2 with a reason; the chart then says "Scale 2 (hypercapnic)"', async () => {
    const page = await chartAs(physician, 'en-GB');
    const scale = page.locator('#vitals .news2-scale');
    await expect.poll(() => scale.textContent()).toBe(en['news2.scale1']);
    const form = page.locator('#news2-scale-form');
    await form.locator('[name="reason"]').fill('COPD, hypercapnic respiratory failure on blood gas');
    await form.getByRole('button', { name: en['news2.switchTo2'] }).click();
    await expect.poll(() => page.locator('#vitals .news2-scale').textContent()).toBe(en['news2.scale2']);
    const updates = [...gateway.services.log.iterate()].filter(
      (event) => event.patientId === patientId && event.eventType === 'encounter_updated',
    );
    expect(updates).toMatchObject([{ data: { news2Spo2Scale: 2 }, userRole: 'physician' }]);
  });

  it('shows a nurse, in Arabic, the scale without the form', async () => {
    const page = await chartAs(nurse, 'ar');
    await expect.poll(() => page.locator('#vitals .news2-scale').textContent()).toBe(ar['news2.scale2']);
    expect(await page.locator('#news2-scale-form').count()).toBe(0);
  });

  it('threw no script errors', () => {
    expect(pageErrors.flat()).toEqual([]);
  });
});
