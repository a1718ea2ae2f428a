import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { recordMonitorReading } from '../harness/monitorReading.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-spark';
const normal = {
  respiratoryRate: 16,
  oxygenSaturation: 97,
  heartRate: 80,
  systolicBloodPressure: 124,
  temperature: 36.9,
};

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe("a bed card's NEWS2 and its sparkline, in Chromium against a real gateway", {
  timeout: 120_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const trendRequests: string[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Zeinab',
      lastName: 'Omer',
      ward: 'Ward A',
      bed: 'A2',
    });
    // A neighbour with no readings: two admitted patients, still one request.
    await recordAdmittedPatient(gateway.services, {
      patientId: 'p-quiet',
      firstName: 'Sara',
      lastName: 'Idris',
      ward: 'Ward A',
      bed: 'A3',
    });
    // Four hours of normal observations, a full set by hand (air, alert) at the start.
    await recordMonitorReading(gateway.services, patientId, normal, {
      minutesAgo: 240,
      byHand: { supplementalOxygen: false, consciousness: 'A' },
    });
    // The last one now, so the current clock hour has a reading whatever the minute the suite runs.
    for (let minutesAgo = 225; minutesAgo >= 0; minutesAgo -= 15)
      await recordMonitorReading(gateway.services, patientId, normal, { minutesAgo });
    const nurse = await addTestUser(gateway.services, 'nurse', {
      username: 'zeinab',
      displayName: 'Zeinab Ali',
    });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    page.on('request', (request) => {
      if (request.url().includes('/news2/trends')) trendRequests.push(request.url());
    });
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  const card = () => page.locator(`.card[data-bed="A2"]`);
  const sparkline = () => card().locator('svg.sparkline');
  // Strings run in the page: the test's own TypeScript has no DOM.
  const badgeColour = () =>
    page.evaluate(`getComputedStyle(document.querySelector('.card[data-bed="A2"] .news2')).backgroundColor`);
  const lineColour = () =>
    page.evaluate(`getComputedStyle(document.querySelector('.card[data-bed="A2"] .sparkline__line')).stroke`);

  it('draws the last hours as a low, green line from one request for the whole board', async () => {
    const before = trendRequests.length;
    await page.goto('/board');
    await expect.poll(() => card().locator('.news2').getAttribute('data-band')).toBe('low');
    await expect.poll(() => sparkline().getAttribute('data-band')).toBe('low');
    // An hourly point for each of the five hours with readings (four ago to the current one).
    expect(await sparkline().locator('circle').count()).toBe(5);
    expect(await sparkline().getAttribute('aria-label')).toMatch(
      /^NEWS2 over the last 12 hours.*: 0, 0, 0, 0, 0$/,
    );
    expect(await badgeColour()).toBe('rgb(217, 242, 222)');
    expect(await lineColour()).toBe('rgb(46, 125, 50)');
    expect(trendRequests.length - before).toBe(1);
    // The quiet neighbour's card says there is nothing to draw rather than drawing a flat line.
    expect(await page.locator('.card[data-bed="A3"] svg.sparkline circle').count()).toBe(0);
    expect(await page.locator('.card[data-bed="A3"] svg.sparkline').getAttribute('data-band')).toBe('none');
  });

  it('turns the badge and the line red when the readings worsen, without a reload', async () => {
    await recordMonitorReading(gateway.services, patientId, {
      ...normal,
      respiratoryRate: 26,
      oxygenSaturation: 90,
      heartRate: 125,
    });
    // Respiratory rate 26 (3) + SpO2 90 % (3) + pulse 125 (2) = 8: high.
    await expect.poll(() => card().locator('.news2').getAttribute('data-band')).toBe('high');
    await expect.poll(() => sparkline().getAttribute('data-band')).toBe('high');
    expect(await sparkline().getAttribute('aria-label')).toMatch(/: 0, 0, 0, 0, 8$/);
    expect(await badgeColour()).toBe('rgb(179, 0, 27)');
    expect(await lineColour()).toBe('rgb(179, 0, 27)');
    expect(await sparkline().locator('circle.sparkline__dot--high').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
