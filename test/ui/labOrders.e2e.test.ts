import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-khadija';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('ordering lab tests on the chart and the pending-orders worklist', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];

  async function signedInPage(role: 'physician' | 'nurse', username: string, locale: string): Promise<Page> {
    const user = await addTestUser(gateway.services, role, { username, displayName: username });
    const opened = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`, { locale });
    contexts.push(opened.context);
    pageErrors.push(opened.pageErrors);
    await signInThroughForm(opened.page, user.username, user.password);
    return opened.page;
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Khadija',
      lastName: 'Osman',
      ward: 'Ward A',
      bed: 'A2',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('a physician orders a stat potassium and a CBC: two tubes, two orders, on the chart and first on the worklist', async () => {
    const page = await signedInPage('physician', 'salma', 'en-GB');
    await page.goto(`/patients/${patientId}`);
    const form = page.locator('#lab-order-form');
    await form.getByLabel('Potassium').check();
    await form.getByLabel('Complete blood count').check();
    await form.locator('[name="priority"]').selectOption('stat');
    await form.locator('[name="clinicalNotes"]').fill('Vomiting, on furosemide');
    await form.getByRole('button', { name: en['labOrder.place'] }).click();
    const orders = page.locator('#lab-orders li[data-order-id]');
    await expect.poll(() => orders.count()).toBe(2);
    expect(await orders.first().textContent()).toContain(en['labOrder.status.ordered']);
    const created = [...gateway.services.log.iterate()].filter(
      (event) => event.eventType === 'lab_order_created',
    );
    expect(
      created.map((event) => (event.data as { tests: { testCode: string }[] }).tests[0]?.testCode),
    ).toEqual(['K', 'CBC']);

    await page.locator('.nav__link[data-nav="lab-orders"]').click();
    const rows = page.locator('#lab-worklist tbody tr[data-order-id]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Khadija');
    expect(await rows.first().textContent()).toContain(en['labOrder.priority.stat']);
    expect(pageErrors.flat()).toEqual([]);
  });

  it('a nurse records the collection from the chart in Arabic, right to left, and cannot order', async () => {
    const page = await signedInPage('nurse', 'hawa', 'ar');
    await page.goto(`/patients/${patientId}`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('#lab-order-form').count()).toBe(0);
    expect(await page.locator('[data-refused="lab-order"]').textContent()).toBe(ar['labOrder.physicianOnly']);
    const first = page.locator('#lab-orders li[data-order-id]').last();
    await first.getByRole('button', { name: ar['labOrder.collected'] }).click();
    await expect.poll(() => page.locator('#lab-orders li[data-status="collected"]').count()).toBe(1);
    expect(
      [...gateway.services.log.iterate()].filter((event) => event.eventType === 'lab_specimen_collected'),
    ).toHaveLength(1);
  });
});
