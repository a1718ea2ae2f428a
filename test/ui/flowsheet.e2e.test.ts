import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { recordMonitorReading } from '../harness/monitorReading.ts';
import { pdfPageTexts } from '../harness/pdfText.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-flow';
const rowLabels = [
  en['vital.respiratoryRate'],
  en['vital.oxygenSaturation'],
  en['flowsheet.oxygenRow'],
  en['vital.systolicBloodPressure'],
  en['vital.diastolicBloodPressure'],
  en['vital.heartRate'],
  en['flowsheet.consciousness'],
  en['vital.temperature'],
  en['flowsheet.news2Total'],
];

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the flowsheet, in Chromium against a real gateway', { timeout: 120_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Hawa',
      lastName: 'Adam',
      ward: 'Ward A',
      bed: 'A3',
    });
    // A monitor every 20 minutes over the last 24 hours, the patient worsening in the last three.
    for (let minutesAgo = 23 * 60; minutesAgo >= 0; minutesAgo -= 20) {
      const worse = minutesAgo < 180;
      await recordMonitorReading(
        gateway.services,
        patientId,
        {
          respiratoryRate: worse ? 23 : 16,
          oxygenSaturation: worse ? 91 : 97,
          heartRate: worse ? 118 : 80,
          systolicBloodPressure: 124,
          diastolicBloodPressure: 78,
          temperature: worse ? 38.4 : 36.9,
        },
        { minutesAgo },
      );
    }
    // The nurse's round two hours ago: on oxygen, newly confused, respiratory rate counted by hand.
    await recordMonitorReading(
      gateway.services,
      patientId,
      { respiratoryRate: 26 },
      { minutesAgo: 120, byHand: { supplementalOxygen: true, consciousness: 'C' } },
    );
    const nurse = await addTestUser(gateway.services, 'nurse', {
      username: 'hawa',
      displayName: 'Hawa Musa',
    });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  const grid = () => page.locator('table.flowsheet__grid');

  it('opens from the chart as a grid: parameters in the NEWS2 order, one column per hour over 24 hours', async () => {
    await page.goto(`/patients/${patientId}`);
    await page.locator('#open-flowsheet').click();
    await expect.poll(() => page.url()).toContain(`/patients/${patientId}/flowsheet`);
    await grid().waitFor();
    expect(await grid().locator('tbody th[scope="row"]').allTextContents()).toEqual(rowLabels);
    expect(await grid().locator('thead th').count()).toBe(25);
    // The hand-entered round: charted over the monitor's value, marked, scored and coloured.
    const handRound = grid().locator('tr[data-row="respiratoryRate"] td[data-score="3"]');
    expect(await handRound.count()).toBe(1);
    expect(await handRound.textContent()).toContain('26');
    expect(await handRound.textContent()).toContain('+3');
    expect(await grid().locator('tr[data-row="consciousness"] td').filter({ hasText: 'C' }).count()).toBe(1);
    // The total of the last hours is high, said in words as well as colour.
    const lastTotal = grid().locator('tr[data-row="news2"] td').last();
    expect(await lastTotal.getAttribute('data-band')).toBe('high');
    expect(await lastTotal.textContent()).toContain(en['news2.band.high']);
    // A string run in the page: the test's own TypeScript has no DOM.
    const colour = await page.evaluate(
      `getComputedStyle(document.querySelector('tr[data-row="news2"] td:last-child')).backgroundColor`,
    );
    expect(colour).toBe('rgb(179, 0, 27)');
    // The latest hours in view, as a nurse scrolls to them.
    await grid().locator('thead th').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('flowsheet-en.png'), fullPage: true });
  });

  it('prints on A4 landscape with every row and every hour on the page, none cut off', async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = await pdfPageTexts(pdf);
    // PDF.js splits a run where the font changes ("SpO ₂"): compare without white space.
    const text = pages.join(' ').replace(/\s+/g, '');
    for (const label of rowLabels) expect(text, label).toContain(label.replace(/\s+/g, ''));
    const hours = await grid()
      .locator('thead th[data-t]')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent?.slice(-5) ?? ''));
    expect(hours).toHaveLength(24);
    for (const hour of hours) expect(text, hour).toContain(hour);
    // The controls and the navigation are not printed.
    expect(text).not.toContain(en['flowsheet.back'].replace(/\s+/g, ''));
    expect(text).not.toContain(en['nav.board']);
    expect(pages).toHaveLength(1);
  });

  it('runs right to left in Arabic: labels on the right, the earliest hour beside them, Arabic digits', async () => {
    await page.locator('#language').click();
    await expect.poll(() => grid().locator('thead th').first().textContent()).toBe(ar['flowsheet.parameter']);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const heads = grid().locator('thead th');
    const label = await heads.first().boundingBox();
    const earliest = await heads.nth(1).boundingBox();
    const latest = await heads.last().boundingBox();
    expect(label && earliest && latest).toBeTruthy();
    expect(label!.x).toBeGreaterThan(earliest!.x);
    expect(earliest!.x).toBeGreaterThan(latest!.x);
    expect(await grid().locator('tbody th[scope="row"]').last().textContent()).toBe(
      ar['flowsheet.news2Total'],
    );
    expect(await grid().locator('tr[data-row="respiratoryRate"] td[data-score="3"]').textContent()).toContain(
      '٢٦',
    );
    await grid().locator('thead th').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('flowsheet-ar.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
