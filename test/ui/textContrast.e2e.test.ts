import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor } from '../../gateway/http/draftFor.ts';
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { lowContrastText } from '../harness/textContrast.ts';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('readable contrast on every screen, in English and Arabic (WCAG 2.1 AA, 1.4.3)', {
  timeout: 120_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let physician: TestUser;

  beforeAll(async () => {
    // Readings go stale after 15 s here, so the board shows stale ones (greyed) to be checked too.
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4;Ward B:B1-B4', staleAfterSeconds: 15 });
    for (const [patientId, firstName, bed] of [
      ['p-high', 'Nafisa', 'B1'],
      ['p-medium', 'Sumaya', 'B2'],
    ] as const)
      await recordAdmittedPatient(gateway.services, {
        patientId,
        firstName,
        lastName: 'Ali',
        ward: 'Ward B',
        bed,
      });
    // A critical lab result for the chart.
    const at = gateway.services.clock().toISOString();
    const draft = draftFor(
      gateway.services,
      'lab_result_available',
      {
        resultId: 'res-k',
        specimen: { specimenId: 'TUBE-K', type: 'serum' },
        testCode: 'K',
        testName: 'Potassium',
        value: 2.6,
        unit: 'mmol/L',
        referenceRange: { low: 3.5, high: 5.1 },
        flags: ['LL'],
        resultStatus: 'final',
        observedAt: at,
        reportedAt: at,
      },
      { patientId: 'p-high' },
    );
    await gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test analyzer',
      draft: { ...draft, source: 'lab-service' },
    });
    physician = await addTestUser(gateway.services, 'physician', { username: 'salma' });
    browser = await launchChromium();
    ({ context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    await page.goto('/');
    await page.locator('#login-username').waitFor();
    expect(await lowContrastText(page), 'the sign-in form').toEqual([]);
    await signInThroughForm(page, physician.username, physician.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
  });

  /** Fresh readings typed in: SpO2 84 % (a high-priority alert) and pulse 115 (medium). */
  async function recordOutOfRangeVitals(): Promise<void> {
    for (const [patientId, body] of [
      ['p-high', { oxygenSaturation: 84 }],
      ['p-medium', { heartRate: 115 }],
    ] as const) {
      const status = await page.evaluate(
        async ([id, vitals]) =>
          (
            await fetch(`/api/v1/patients/${id}/vitals`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(vitals),
            })
          ).status,
        [patientId, body] as const,
      );
      expect(status).toBe(201);
    }
  }

  /** Visits each screen and lists the text on it that is too faint to read. */
  async function checkEveryScreen(): Promise<void> {
    await recordOutOfRangeVitals();
    await page.goto('/board');
    // SpO2 (high), pulse (medium), and the lab rule's critical potassium (high).
    await expect.poll(() => page.locator('.alert-bar .alert').count(), { timeout: 10_000 }).toBe(3);
    const current = (status: string) => page.locator(`.vital[data-status="${status}"][data-stale="false"]`);
    await expect.poll(() => current('critical').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await current('warning').count()).toBeGreaterThan(0);
    expect(await lowContrastText(page), 'the ward board with alerts').toEqual([]);
    for (const [path, ready] of [
      ['/alerts', '.alert'],
      ['/patients', '#patients tbody tr'],
      ['/sync', 'h1'],
      ['/patients/p-high', '#lab-results li[data-marking="critical"]'],
    ] as const) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      expect(await lowContrastText(page), path).toEqual([]);
    }
  }

  it('has every piece of text readable in English', async () => {
    await checkEveryScreen();
  });

  it('has every piece of text readable in Arabic', async () => {
    await page.locator('#language').click();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await checkEveryScreen();
  });

  it('keeps a stale reading readable: greyed and struck through, not faint', async () => {
    // The gateway marks a reading stale when the board reads it: read the board again until it does.
    const staleAfterReload = async () => {
      await page.goto('/board');
      await page.locator('.card').first().waitFor();
      return page.locator('.vital[data-stale="true"]').count();
    };
    await expect.poll(staleAfterReload, { timeout: 40_000, interval: 3000 }).toBeGreaterThan(1);
    expect(await lowContrastText(page), 'the ward board with stale readings').toEqual([]);
  });
});
