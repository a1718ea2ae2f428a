import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the nurse screen when the gateway’s disk runs low', { timeout: 90_000 }, () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    // A low-water mark above any real disk's free space: the gateway's disk guard reports "low" at once.
    gateway = await startTestGateway({ storageLowWaterBytes: 2 ** 53, storageCriticalBytes: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('shows a banner saying the disk is low and what the gateway refuses, in the screen’s language', async () => {
    const health = (await (await fetch(`http://127.0.0.1:${gateway.httpPort}/health`)).json()) as {
      storage: { state: string };
    };
    expect(health.storage.state).toBe('low');
    const nurse = await addTestUser(gateway.services, 'nurse');
    const { context, page } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`);
    await signInThroughForm(page, nurse.username, nurse.password);
    const banner = page.locator('#storage-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.getAttribute('data-state')).toBe('low');
    expect(await banner.textContent()).toContain('Gateway disk space is low');
    expect(await banner.textContent()).toContain(en['lane.telemetry']);
    await page.locator('#language').click();
    await expect.poll(() => page.locator('#storage-banner').textContent()).toContain(ar['lane.telemetry']);
    await context.close();
  });
});
