import type { MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { parseWards } from '../../gateway/config/wards.ts';
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { vitalsPayload } from '../harness/vitalsReadings.ts';
import { waitFor } from '../harness/waitFor.ts';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the nurse screen in a real browser, against a gateway with simulated monitors', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreignRequests: string[];
  let pageErrors: string[];
  let device: MqttClient;
  let nurse: TestUser;
  const patientId = 'ui-test-patient';
  const deviceId = 'ui-test-monitor';

  beforeAll(async () => {
    gateway = await startTestGateway({
      simulate: true,
      staleAfterSeconds: 5,
      // High-priority alerts escalate after 3 s here (120 s by default), so the test sees one escalate.
      escalation: { highAfterSeconds: 3, mediumAfterSeconds: 300, repeatEverySeconds: 300, maxLevel: 3 },
    });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Halima',
      lastName: 'Yousif',
      ward: 'Ward B',
      bed: 'B1',
    });
    const password = await gateway.addDevice(deviceId, { patientId, bed: 'B1' });
    device = await gateway.connectDevice(deviceId, password);
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'amal', displayName: 'Amal Hassan' });
    browser = await launchChromium();
    ({ context, page, foreignRequests, pageErrors } = await openPage(
      browser,
      `http://127.0.0.1:${gateway.httpPort}`,
    ));
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  const card = (bed: string) => page.locator(`.card[data-bed="${bed}"]`);
  const cardValues = (bed: string) =>
    card(bed)
      .locator('.vital__value')
      .allTextContents()
      .then((values) => values.join('|'));

  it('shows every admitted patient on the board and their vitals change as the monitors publish', async () => {
    for (const bed of ['A1', 'A2', 'A3', 'A4', 'B1']) await card(bed).waitFor({ state: 'visible' });
    await expect.poll(() => card('A1').locator('.card__name').textContent()).toBe('Amna Osman');
    const first = await waitFor('a reading for bed A1', async () => {
      const values = await cardValues('A1');
      return /\d/.test(values) ? values : undefined;
    });
    // The simulated monitor publishes every 2 s on a random walk: a later reading differs somewhere on the ward.
    const before = await Promise.all(['A1', 'A2', 'A3', 'A4'].map(cardValues));
    await waitFor(
      'a vital sign on the board to change',
      async () => (await Promise.all(['A1', 'A2', 'A3', 'A4'].map(cardValues))).join() !== before.join(),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(first).toMatch(/\d/);
    await page.screenshot({ path: screenshotPath('ward-board-en.png') });
  });

  it('puts a critical reading published over MQTT on screen within one second of its PUBACK, with a high-priority tone', async () => {
    const alertInBar = page.locator(`.alert-bar .alert[data-patient-id="${patientId}"]`);
    expect(await alertInBar.count()).toBe(0);
    await device.publishAsync(
      gateway.vitalsTopic(deviceId),
      vitalsPayload(1, { spo2: { value: 84, unit: '%' }, heartRate: { value: 96, unit: '/min' } }),
      { qos: 1 },
    );
    // publishAsync resolves on the PUBACK, which the gateway sends only after the reading is committed.
    const acknowledgedAt = performance.now();
    await alertInBar.waitFor({ state: 'visible', timeout: 5000 });
    const latencyMs = performance.now() - acknowledgedAt;
    expect(latencyMs, `alert visible ${Math.round(latencyMs)} ms after PUBACK`).toBeLessThan(1000);

    await expect.poll(() => alertInBar.getAttribute('data-priority')).toBe('high');
    expect(await alertInBar.textContent()).toContain(en['alert.priorityHigh']);
    expect(await alertInBar.textContent()).toContain('Halima Yousif');
    // The board marks the value out of range in words as well as colour.
    const spo2 = card('B1').locator('.vital[data-parameter="oxygenSaturation"]');
    await expect.poll(() => spo2.getAttribute('data-status')).toBe('critical');
    expect(await spo2.locator('.vital__note').textContent()).toContain(en['board.critical']);
    // IEC 60601-1-8: a high-priority burst is ten pulses.
    const html = page.locator('html');
    await expect.poll(() => html.getAttribute('data-alarm')).toBe('high');
    await expect.poll(() => html.getAttribute('data-alarm-last-burst-pulses')).toBe('10');
    await page.screenshot({ path: screenshotPath('alert.png') });
  });

  it('acknowledges with one keypress on its button and records who in the log', async () => {
    const alertInBar = page.locator(`.alert-bar .alert[data-patient-id="${patientId}"]`);
    const alertId = await alertInBar.getAttribute('data-alert-id');
    expect(alertId).toBeTruthy();
    const button = alertInBar.getByRole('button', { name: en['alert.acknowledge'] });
    await button.focus();
    await page.keyboard.press('Enter');
    await alertInBar.waitFor({ state: 'detached' });
    const acknowledged = [...gateway.services.log.iterate(1)].find(
      (event) =>
        event.eventType === 'alert_acknowledged' && (event.data as { alertId?: string }).alertId === alertId,
    );
    expect(acknowledged?.userName).toBe('Amal Hassan');
    expect(acknowledged?.userId).toBe(nurse.userId);
    expect(acknowledged?.userRole).toBe('nurse');
    // The tone stops once no alert stands unacknowledged (simulated episodes aside).
    const openActive = gateway.services.alerts.open().filter((alert) => alert.status === 'active');
    if (openActive.length === 0)
      await expect.poll(() => page.locator('html').getAttribute('data-alarm')).toBe('none');
  });

  it('lists the acknowledged alert, and who acknowledged it, in the patient’s alert history', async () => {
    await page.locator('.card[data-bed="B1"] .card__name').click();
    const history = page.locator('#alert-history .alert');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.getAttribute('data-status')).toBe('acknowledged');
    expect(await history.textContent()).toContain('Acknowledged by Amal Hassan');
    await page.getByRole('link', { name: en['nav.board'] }).click();
  });

  it('makes an alert nobody acknowledges stand out once it escalates', async () => {
    await recordAdmittedPatient(gateway.services, {
      patientId: 'ui-escalation-patient',
      firstName: 'Khadija',
      lastName: 'Adam',
      ward: 'Ward B',
      bed: 'B3',
    });
    const password = await gateway.addDevice('ui-escalation-monitor', {
      patientId: 'ui-escalation-patient',
      bed: 'B3',
    });
    const monitor = await gateway.connectDevice('ui-escalation-monitor', password);
    await monitor.publishAsync(
      gateway.vitalsTopic('ui-escalation-monitor'),
      vitalsPayload(1, { heartRate: { value: 150, unit: '/min' } }),
      { qos: 1 },
    );
    const alert = page.locator('.alert-bar .alert[data-patient-id="ui-escalation-patient"]');
    await alert.waitFor();
    expect(await alert.getAttribute('class')).not.toContain('alert--escalated');
    await expect.poll(() => alert.getAttribute('class'), { timeout: 10_000 }).toContain('alert--escalated');
    expect(await alert.locator('.alert__escalated').textContent()).toBe('Escalated · level 1');
    await monitor.endAsync(true);
  });

  it('shows a reading as stale, not as current, once its device has gone silent', async () => {
    // The test gateway calls a reading stale after 5 s; B1's monitor published once and went quiet.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    await page.reload();
    const spo2 = card('B1').locator('.vital[data-parameter="oxygenSaturation"]');
    await expect.poll(() => spo2.getAttribute('data-stale'), { timeout: 10_000 }).toBe('true');
    expect(await spo2.locator('.vital__note').textContent()).toContain('Stale');
  });

  it('shows the hub connection, backlog and every device with its connection state', async () => {
    await page.getByRole('link', { name: en['nav.sync'] }).click();
    await page.locator('#sync-status dd').first().waitFor();
    expect(await page.locator('#sync-status').textContent()).toContain(en['sync.notConfigured']);
    expect(await page.locator('#sync-status').textContent()).toContain(en['sync.backlog']);
    for (const id of ['sim-monitor-1', 'sim-monitor-2', 'sim-monitor-3', 'sim-monitor-4', deviceId]) {
      await expect
        .poll(() => page.locator(`#devices tr[data-device-id="${id}"]`).getAttribute('data-connected'))
        .toBe('true');
    }
    await device.endAsync(true);
    await expect
      .poll(() => page.locator(`#devices tr[data-device-id="${deviceId}"]`).getAttribute('data-connected'))
      .toBe('false');
    await page.getByRole('link', { name: en['nav.board'] }).click();
  });

  it('switches to Arabic: right to left, every string translated, Eastern Arabic digits, and remembered', async () => {
    await page.locator('#language').click();
    const html = page.locator('html');
    await expect.poll(() => html.getAttribute('dir')).toBe('rtl');
    expect(await html.getAttribute('lang')).toBe('ar');
    expect(await page.locator('h1').textContent()).toBe(ar['board.title']);
    expect(await page.locator('nav').textContent()).toContain(ar['nav.patients']);
    await waitFor('Arabic-Indic digits on the board', async () => /[٠-٩]/.test(await cardValues('A1')));
    expect(await cardValues('A1')).not.toMatch(/[0-9]/);
    // No text on the screen is an English string of the catalogue (data such as names aside: the
    // clinic's own ward names, "Maternity" among them, are shown as configured).
    const wardNames = new Set(parseWards(gateway.services.options.wards).map((ward) => ward.name));
    const englishOnly = new Set(
      Object.entries(en)
        .filter(([key, value]) => ar[key as keyof typeof ar] !== value && !value.includes('{'))
        .map(([, value]) => value)
        .filter((value) => !wardNames.has(value)),
    );
    // Evaluated in the page (a string: this file is type-checked without the DOM's types).
    const texts = (await page.evaluate(`(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const found = [];
      while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        if (text) found.push(text);
      }
      return found;
    })()`)) as string[];
    expect(texts.filter((text) => englishOnly.has(text))).toEqual([]);
    await page.screenshot({ path: screenshotPath('ward-board-ar.png') });
    await page.reload();
    await expect.poll(() => html.getAttribute('dir')).toBe('rtl');
    await page.locator('#language').click();
    await expect.poll(() => html.getAttribute('dir')).toBe('ltr');
  });

  it('fits a 10-inch tablet either way round and the laptop: no sideways scrolling on the board', async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 800, height: 1280 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(viewport);
      await card('A1').waitFor();
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      expect(overflow, `${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(0);
    }
  });

  it('asked for nothing outside the gateway and threw no script errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
