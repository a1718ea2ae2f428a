import { readdirSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../gateway/events/ids.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { buildHttpApp } from '../../gateway/http/buildHttpApp.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

describe('the interim ward board', () => {
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

  it('is the page at / and loads its script and style from the gateway itself', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Ward board');
    for (const asset of ['/ui/wardBoard.js', '/ui/wardBoard.css']) {
      expect(page.body).toContain(asset);
      const response = await app.inject({ method: 'GET', url: asset });
      expect(response.statusCode, asset).toBe(200);
    }
  });

  it('fetches nothing from outside the gateway: no absolute URLs in its files', () => {
    const folder = new URL('../../ui/public/', import.meta.url);
    for (const name of readdirSync(folder)) {
      expect(readFileSync(new URL(name, folder), 'utf8'), name).not.toMatch(
        /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i,
      );
    }
  });
});
