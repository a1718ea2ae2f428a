import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { buildHttpApp } from '../../gateway/http/buildHttpApp.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import { uiPaths } from '../../ui/build.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

describe('the gateway serving the built nurse screen', () => {
  const dir = tempDataDir();
  let services: GatewayServices;
  let app: Awaited<ReturnType<typeof buildHttpApp>>;

  beforeAll(async () => {
    services = openGatewayStore(
      resolveGatewayOptions({ dataDir: dir.path, logLevel: 'silent' }),
      () => new Date(),
      uuidV7,
    );
    app = await buildHttpApp(services, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await app.close();
    services.db.close();
    dir.remove();
  });

  it('answers / and every screen path with the page, never cached, with a CSP that allows only itself', async () => {
    for (const url of ['/', '/board', '/alerts', '/patients', '/patients/p-1', '/sync', '/login']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/text\/html/);
      expect(page.headers['cache-control'], url).toBe('no-cache');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      expect(page.body).toContain('<div id="app">');
    }
  });

  it('serves the hashed script, style and fonts the page names, cached for good', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    const assets = [...page.body.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toHaveLength(2);
    const style = await app.inject({ method: 'GET', url: assets.find((asset) => asset.endsWith('.css'))! });
    const fonts = [...style.body.matchAll(/url\("?(\/ui\/assets\/[^)"]+\.woff2)"?\)/g)].map(
      (match) => match[1]!,
    );
    expect(fonts.some((font) => font.includes('noto-sans-arabic'))).toBe(true);
    expect(fonts.some((font) => font.includes('noto-sans-latin'))).toBe(true);
    for (const asset of [...assets, ...fonts]) {
      const response = await app.inject({ method: 'GET', url: asset });
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
    }
  });

  it('still answers unknown API paths with the coded JSON error, not the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('GW_ERR_ROUTE_UNKNOWN');
  });

  it('fetches nothing from outside the gateway: no absolute URLs in the built files', () => {
    const files = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(folder, entry.name)) : [join(folder, entry.name)],
      );
    const built = files(uiPaths.dist).filter((file) => /\.(js|css|html)$/.test(file));
    expect(built.length).toBeGreaterThanOrEqual(3);
    for (const file of built) {
      // The SVG namespace is an identifier, never fetched.
      const text = readFileSync(file, 'utf8').replaceAll('http://www.w3.org/2000/svg', '');
      expect(text, file).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    }
  });
});
