import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor } from '../../gateway/http/draftFor.ts';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { recordMonitorReading } from '../harness/monitorReading.ts';
import { pdfPageTexts } from '../harness/pdfText.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

// A full ward of twelve, enough for the printed handover to run onto a second page.
const beds = Array.from({ length: 12 }, (_, index) => `A${index + 1}`);
const names = [
  'Amna',
  'Huda',
  'Sara',
  'Fatima',
  'Mona',
  'Hawa',
  'Nafisa',
  'Rabab',
  'Salma',
  'Zainab',
  'Aisha',
  'Maryam',
];
const patientOf = (index: number) => ({
  patientId: `p-${index + 1}`,
  firstName: names[index]!,
  lastName: 'Osman',
  bed: beds[index]!,
  // The block's last line: each patient's notes, long enough to take room on paper.
  notes: `Turn every two hours, fluid balance charted, family visits for ${names[index]} Osman in the evening.`,
  // Words of the notes without punctuation, which right to left moves about.
  notesEnd: `family visits for ${names[index]} Osman in the evening`,
});
const patients = beds.map((_, index) => patientOf(index));

const commonPrefix = (a: string, b: string) => {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length += 1;
  return length;
};

/** PDF.js splits runs where the font changes: compare without white space. */
const squeezed = (text: string) => text.replace(/\s+/g, '');

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the shift handover, in Chromium against a real gateway', { timeout: 120_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A12' });
    for (const patient of patients) {
      await recordAdmittedPatient(gateway.services, { ...patient, ward: 'Ward A' });
      await gateway.services.recorder.record({
        channel: 'internal',
        origin: 'test',
        draft: draftFor(
          gateway.services,
          'encounter_updated',
          {
            encounterId: `enc-${patient.patientId}`,
            notes: patient.notes,
            updatedAt: new Date().toISOString(),
          },
          { patientId: patient.patientId, at: new Date().toISOString() },
        ),
      });
    }
    // Bed A2 worsening over the last three hours; the others unobserved.
    for (let minutesAgo = 180; minutesAgo >= 0; minutesAgo -= 60)
      await recordMonitorReading(
        gateway.services,
        'p-2',
        {
          respiratoryRate: 18 + (180 - minutesAgo) / 30,
          oxygenSaturation: 96 - (180 - minutesAgo) / 45,
          heartRate: 96,
        },
        { minutesAgo },
      );
    const nurse = await addTestUser(gateway.services, 'nurse', { username: 'huda', displayName: 'Huda Ali' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  const blocks = () => page.locator('.handover__patient');

  it('opens from the top bar and lists every admitted patient by bed, with NEWS2 and its trend', async () => {
    await page.locator('a.nav__link[data-nav="handover"]').click();
    await expect.poll(() => page.url()).toContain('/handover');
    await expect.poll(() => blocks().count()).toBe(12);
    expect(await page.locator('.handover__who h2').allTextContents()).toEqual(
      patients.map((patient) => `${patient.bed} · ${patient.firstName} Osman`),
    );
    const worsening = blocks().nth(1);
    expect(await worsening.locator('.news2__band').textContent()).not.toBe('');
    expect(await worsening.locator('svg.sparkline circle').count()).toBeGreaterThan(0);
    expect(await worsening.textContent()).toContain(patients[1]!.notes);
    await page.screenshot({ path: screenshotPath('handover-en.png'), fullPage: true });
  });

  for (const language of ['en', 'ar'] as const) {
    it(`prints in ${language === 'en' ? 'English' : 'Arabic'} on A4 portrait: every patient, header on each page, no block cut`, async () => {
      if (language === 'ar') {
        await page.locator('#language').click();
        await expect
          .poll(() => page.locator('.handover h1').first().textContent())
          .toBe(ar['handover.title']);
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        await page.screenshot({ path: screenshotPath('handover-ar.png'), fullPage: true });
      }
      const catalogue = language === 'en' ? en : ar;
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = (await pdfPageTexts(pdf)).map(squeezed);
      expect(pages.length).toBeGreaterThan(1);
      // The header repeats on every page: each page's text begins as the first page's does (Arabic comes out of
      // the PDF in presentation forms, so the pages are compared with each other, not with the catalogue).
      const header = squeezed((await page.locator('.handover thead').textContent()) ?? '');
      if (language === 'en') expect(pages[0]!.startsWith(header.slice(0, 30))).toBe(true);
      for (const text of pages.slice(1)) expect(commonPrefix(text, pages[0]!)).toBeGreaterThanOrEqual(20);
      const all = pages.join('');
      expect(all).not.toContain(squeezed(catalogue['nav.board']));
      for (const patient of patients) {
        // The block's first line (bed and name) and its last (the notes) on one and the same page.
        const first = pages.findIndex((text) => text.includes(squeezed(`${patient.firstName} Osman`)));
        const last = pages.findIndex((text) => text.includes(squeezed(patient.notesEnd)));
        expect(first, patient.firstName).toBeGreaterThanOrEqual(0);
        expect(pages[first], patient.bed).toContain(patient.bed);
        expect(last, `${patient.firstName}'s notes`).toBe(first);
      }
      expect(pageErrors).toEqual([]);
    });
  }
});
