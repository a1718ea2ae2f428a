import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import type { GatewayServices } from '../../../gateway/gatewayServices.ts';
import { buildHttpApp } from '../../../gateway/http/buildHttpApp.ts';
import { openGatewayStore } from '../../../gateway/openGatewayStore.ts';
import { addTestUser, loginOverHttp } from '../../harness/sessions.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

/**
 * Routes added the way another engineer adds theirs (a plugin registered on
 * the app buildHttpApp returns), over real HTTP: one forgets its permission,
 * one declares it.
 */
describe('a route added without a declared permission', () => {
  const dir = tempDataDir();
  let services: GatewayServices;
  let app: FastifyInstance;
  let base: string;
  let admin: { cookie: string };
  let nurse: { cookie: string };

  beforeAll(async () => {
    services = openGatewayStore(
      resolveGatewayOptions({ dataDir: dir.path, logLevel: 'silent' }),
      () => new Date(),
      uuidV7,
    );
    app = await buildHttpApp(services, pino({ level: 'silent' }));
    await app.register(async (scope) => {
      scope.get('/api/v1/forgotten', async () => ({ leaked: true }));
      scope.post('/api/v1/forgotten', async () => ({ leaked: true }));
      scope.get('/api/v1/declared', { config: { permission: 'clinical.read' } }, async () => ({ ok: true }));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const adminUser = await addTestUser(services, 'admin');
    const nurseUser = await addTestUser(services, 'nurse');
    admin = await loginOverHttp(base, adminUser.username, adminUser.password);
    nurse = await loginOverHttp(base, nurseUser.username, nurseUser.password);
  });
  afterAll(async () => {
    await app.close();
    services.db.close();
    dir.remove();
  });

  it('is refused even to an admin: 403 GW_ERR_ROLE_FORBIDDEN, and its handler never runs', async () => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${base}/api/v1/forgotten`, { method, headers: admin });
      expect(response.status, method).toBe(403);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe('GW_ERR_ROLE_FORBIDDEN');
      expect(body.message).toContain('declares no permission');
      expect(JSON.stringify(body)).not.toContain('leaked');
    }
  });

  it('is refused without a session: 401 GW_ERR_AUTH_REQUIRED', async () => {
    const response = await fetch(`${base}/api/v1/forgotten`);
    expect(response.status).toBe(401);
  });

  it('works once it declares one, for the roles that hold it', async () => {
    expect((await fetch(`${base}/api/v1/declared`, { headers: nurse })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/declared`)).status).toBe(401);
  });
});
