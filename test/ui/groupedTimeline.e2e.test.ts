import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { recordMonitorReading } from '../harness/monitorReading.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-timeline';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the grouped timeline, in Chromium against a real gateway', { timeout: 120_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Mona',
      lastName: 'Salih',
      ward: 'Ward A',
      bed: 'A4',
    });
    // Twenty readings a minute apart (within at most two clock hours), then an alert-raising one.
    for (let minutesAgo = 20; minutesAgo >= 1; minutesAgo -= 1)
      await recordMonitorReading(gateway.services, patientId, { heartRate: 80 }, { minutesAgo });
    await recordMonitorReading(gateway.services, patientId, { heartRate: 140 });
    const nurse = await addTestUser(gateway.services, 'nurse', { username: 'mona', displayName: 'Mona Ali' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('shows the readings as grouped entries between the admission and the alert, and opens one with the keyboard', async () => {
    await page.goto(`/patients/${patientId}`);
    const groups = page.locator('#timeline li[data-event-type="vital_signs_group"]');
    await groups.first().waitFor();
    // The 21 readings fall in one or two clock hours: one or two entries, not 21 lines.
    const count = await groups.count();
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    const summaries = await groups.locator('summary').allTextContents();
    const listed = summaries.map((text) =>
      Number(/ (\d+) readings from monitor-1, \d\d:\d\d–\d\d:\d\d$/.exec(text)?.[1]),
    );
    expect(
      listed.reduce((sum, n) => sum + n, 0) +
        (await page
          .locator('#timeline > .section__body > ul > li[data-event-type="vital_signs_recorded"]')
          .count()),
    ).toBe(21);
    // The alert and the admission stand out as entries of their own.
    expect(await page.locator('#timeline li[data-event-type="critical_value_detected"]').count()).toBe(1);
    expect(await page.locator('#timeline li[data-event-type="patient_admitted"]').count()).toBe(1);
    // Closed at first; focus on the summary and Enter opens it, Space closes it again.
    const first = groups.first().locator('details');
    expect(await first.getAttribute('open')).toBeNull();
    expect(
      await groups.first().locator('li[data-event-type="vital_signs_recorded"]').first().isVisible(),
    ).toBe(false);
    await groups.first().locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => first.getAttribute('open')).toBe('');
    expect(
      await groups.first().locator('li[data-event-type="vital_signs_recorded"]').first().isVisible(),
    ).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => first.getAttribute('open')).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
