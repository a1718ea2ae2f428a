import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or the
 * one CHROMIUM_PATH names. playwright-core downloads no browser of its own.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // Not on PATH either: fail below with how to install it.
  }
  throw new Error(
    "Chromium not found: install Debian's package (`apt-get install chromium`) or set CHROMIUM_PATH. The UI tests drive a real browser and never skip.",
  );
}

/** A headless Chromium; sound may start without a click, as on a ward tablet someone has already touched. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-gpu',
      '--disable-dev-shm-usage',
    ],
  });
}

export const laptopViewport = { width: 1366, height: 768 };

/**
 * A page on the gateway at `baseUrl`, in a fresh context (its own cookies and
 * localStorage), in `locale`. Requests to any other origin fail the test:
 * the screen must need nothing beyond the gateway.
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  {
    viewport = laptopViewport,
    locale = 'en-GB',
  }: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page; foreignRequests: string[]; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport, locale, baseURL: baseUrl });
  // Waits, not delays: a loaded shared machine may take longer than Playwright's 30 s default.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  const origin = new URL(baseUrl).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, foreignRequests, pageErrors };
}

/**
 * Signs in through the screen's own form. On a gateway without sessions the
 * form falls back to naming the actor; with sessions the password is checked.
 */
export async function signInThroughForm(
  page: Page,
  username: string,
  password = 'not-checked',
): Promise<void> {
  await page.goto('/');
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-form button[type="submit"]').click();
  await page.locator('header.topbar').waitFor({ state: 'visible' });
}
