import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The screenshots the README and docs/ui.md show, refreshed only on purpose. */
const docsScreenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let scratch: string | undefined;

/**
 * Where a browser test saves the screenshot `name` (e.g. "alert.png"): in
 * docs/screenshots/ when the run sets UPDATE_SCREENSHOTS=1, otherwise in a
 * fresh temporary folder, so a test run leaves the tracked pictures as they
 * were (docs/ui.md, "Tests"). The folder exists when this returns.
 */
export function screenshotPath(name: string): string {
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(docsScreenshots, { recursive: true });
    return join(docsScreenshots, name);
  }
  scratch ??= mkdtempSync(join(tmpdir(), 'nilecare-screenshots-'));
  return join(scratch, name);
}
