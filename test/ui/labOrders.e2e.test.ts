import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { decodeCode128Bars } from '../harness/code128Decoder.ts';
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

  it('a physician orders a stat potassium and a CBC: two tubes, two orders, a label whose barcode reads the specimen id, first on the worklist', async () => {
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

    // The potassium tube's label, printed as a label printer would get it (PDF from Chromium).
    const potassium = orders.last();
    const specimenId = (await potassium.locator('.code').textContent())?.replace(/[^0-9A-Z]/g, '') ?? '';
    expect(specimenId).toHaveLength(10);
    await page.evaluate(() => {
      // The browser's print dialog would wait for a person: the PDF below stands in for it.
      (globalThis as unknown as { print: () => void }).print = () => undefined;
    });
    await potassium.getByRole('button', { name: en['labOrder.printLabel'] }).click();
    const label = page.locator(`#print-labels .specimen-label[data-specimen-id="${specimenId}"]`);
    expect(await label.count()).toBe(1);
    expect(await label.textContent()).toContain('Khadija');
    const symbol = await label.locator('svg.barcode').evaluate((svg) => ({
      modules: Number(svg.getAttribute('data-modules')),
      bars: [...svg.querySelectorAll('rect')].map((rect) => ({
        x: Number(rect.getAttribute('x')),
        width: Number(rect.getAttribute('width')),
      })),
    }));
    expect(decodeCode128Bars(symbol.bars, symbol.modules)).toBe(specimenId);
    await page.emulateMedia({ media: 'print' });
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    await page.emulateMedia({ media: 'screen' });
    // One page of 50 x 25 mm (141.7 x 70.9 pt), the label printer's size.
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]/g)].map((m) => [
      Math.round(Number(m[1])),
      Math.round(Number(m[2])),
    ]);
    expect(boxes).toEqual([[142, 71]]);

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
