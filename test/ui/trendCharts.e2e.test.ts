import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundRequestHeader } from '../../gateway/http/contract/browserRequests.ts';
import { draftFor } from '../../gateway/http/draftFor.ts';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-trend';
/** SpO2 every two minutes over the last hour: steady at 97 %, then falling to 86 % in the last quarter hour. */
const spo2Course = [...Array.from({ length: 22 }, () => 97), 96, 95, 94, 92, 90, 88, 87, 86];

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the patient chart’s vital-sign trends, in Chromium against a real gateway', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const trendRequests: { url: string; background: boolean }[] = [];

  /** A monitor's reading for the patient, as the MQTT ingest records it, measured `minutesAgo` before now. */
  const recordReading = async (spo2: number, minutesAgo: number) => {
    const measuredAt = new Date(gateway.services.clock().getTime() - minutesAgo * 60_000).toISOString();
    const draft = draftFor(
      gateway.services,
      'vital_signs_recorded',
      {
        method: 'device',
        deviceId: 'monitor-trend',
        measuredAt,
        oxygenSaturation: { value: spo2, unit: '%' },
        heartRate: { value: 88 + (97 - spo2), unit: '/min' },
        respiratoryRate: { value: 18, unit: '/min' },
      },
      { patientId, at: measuredAt },
    );
    const outcome = await gateway.services.recorder.record({
      draft,
      channel: 'mqtt',
      origin: 'test monitor',
    });
    expect(outcome.status).toBe('appended');
  };

  const panel = (id: string): Locator => page.locator(`#trends figure.trend[data-panel="${id}"]`);

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Nafisa',
      lastName: 'Osman',
      ward: 'Ward A',
      bed: 'A2',
    });
    for (const [index, spo2] of spo2Course.entries())
      await recordReading(spo2, (spo2Course.length - 1 - index) * 2);
    const nurse = await addTestUser(gateway.services, 'nurse', {
      username: 'amna',
      displayName: 'Amna Idris',
    });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    page.on('request', (request) => {
      if (request.url().includes('/vitals/trend'))
        trendRequests.push({
          url: request.url(),
          background: request.headers()[backgroundRequestHeader] === '1',
        });
    });
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('draws the falling SpO₂ to its low last value, with the alert it raised marked', async () => {
    await page.goto(`/patients/${patientId}`);
    const spo2 = panel('oxygenSaturation');
    await expect.poll(() => spo2.getAttribute('data-last')).toBe('86');
    // Falling through 93 % raises a medium alert, through 91 % a high one that supersedes it: both marked.
    const raised = gateway.services.alerts
      .ofPatient(patientId)
      .filter((alert) => alert.parameter === 'oxygenSaturation');
    expect(raised.map((alert) => alert.priority)).toContain('high');
    await expect.poll(() => spo2.getAttribute('data-alerts')).toBe(String(raised.length));
    expect(await spo2.locator('.trend__alerts').textContent()).toContain(en['trends.alerts'].split(':')[0]);
    // Every panel is drawn, each on its own canvas; the readout says the latest value in words.
    for (const id of [
      'oxygenSaturation',
      'respiratoryRate',
      'heartRate',
      'bloodPressure',
      'temperature',
      'news2',
    ])
      expect(await panel(id).locator('canvas').count(), id).toBe(1);
    const readout = await spo2.locator('.trend__readout').textContent();
    expect(readout).toMatch(/^Latest, \d\d:\d\d: SpO₂ 86$/);
    expect(await panel('temperature').locator('.trend__readout').textContent()).toBe(en['trends.noReadings']);
    expect(trendRequests.length).toBeGreaterThan(0);
    expect(trendRequests.every((request) => request.background)).toBe(true);
    await spo2.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('chart-trends-en.png'), fullPage: false });
  });

  it('moves the cursor with the keyboard: End to the latest reading, the left arrow to the one before', async () => {
    const plot = panel('oxygenSaturation').locator('.trend__plot');
    const readout = panel('oxygenSaturation').locator('.trend__readout');
    // The pointer first: the readout names the bucket under it instead of the latest reading.
    const over = plot.locator('.u-over');
    const box = await over.boundingBox();
    expect(box).not.toBeNull();
    await over.hover({ position: { x: box!.width / 2, y: box!.height / 2 } });
    await expect.poll(() => readout.textContent()).toMatch(/^\d\d:\d\d: SpO₂ /);
    await page.mouse.move(0, 0);
    await expect.poll(() => readout.textContent()).toMatch(/^Latest, /);
    await plot.focus();
    await page.keyboard.press('End');
    await expect.poll(() => readout.textContent()).toMatch(/^\d\d:\d\d: SpO₂ 86$/);
    const atLatest = await readout.textContent();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => readout.textContent()).toMatch(/^\d\d:\d\d: SpO₂ 87$/);
    expect(await readout.textContent()).not.toBe(atLatest);
    await page.keyboard.press('Home');
    await expect.poll(() => readout.textContent()).toMatch(/^\d\d:\d\d: SpO₂ 97$/);
  });

  it('reads the trend again in the background when the window changes, in buckets of that window', async () => {
    const before = trendRequests.length;
    await page.locator('#trends .trend-windows__choice', { hasText: '1 h' }).click();
    await expect.poll(() => trendRequests.slice(before).some((r) => r.url.includes('window=1h'))).toBe(true);
    await expect
      .poll(() => page.locator('#trends .trend-bucket').textContent())
      .toBe(en['trends.bucket'].replace('{minutes}', '1'));
    expect(await panel('oxygenSaturation').getAttribute('data-last')).toBe('86');
    expect(trendRequests.every((request) => request.background)).toBe(true);
  });

  it('follows a new reading from the live stream without a reload', async () => {
    await recordReading(84, 0);
    // Read again at most every 10 s: the poll waits for it rather than for a fixed time.
    await expect
      .poll(() => panel('oxygenSaturation').getAttribute('data-last'), { timeout: 30_000 })
      .toBe('84');
    expect(trendRequests.every((request) => request.background)).toBe(true);
  });

  it('keeps the charts left to right in Arabic, with Arabic labels and digits', async () => {
    await page.locator('#language').click();
    await expect.poll(() => page.locator('#trends-title').textContent()).toBe(ar['trends.title']);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const spo2 = panel('oxygenSaturation');
    await expect.poll(() => spo2.getAttribute('data-last')).toBe('84');
    expect(await spo2.locator('.trend__plot').getAttribute('dir')).toBe('ltr');
    expect(await spo2.locator('canvas').count()).toBe(1);
    expect(await panel('bloodPressure').locator('figcaption').textContent()).toContain(
      ar['trends.bloodPressure'],
    );
    expect(await spo2.locator('.trend__readout').textContent()).toContain('٨٤');
    await spo2.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('chart-trends-ar.png'), fullPage: false });
    expect(pageErrors).toEqual([]);
  });
});
