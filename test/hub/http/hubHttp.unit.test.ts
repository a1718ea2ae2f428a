import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildHubHttp } from '../../../hub/http/hubHttp.ts';

describe('the hub operations endpoints', () => {
  it('answer /health 200 when everything runs and 503 when something does not', async () => {
    let status: 'ok' | 'degraded' = 'ok';
    const app = buildHubHttp({
      registry: new Registry(),
      beforeScrape: async () => undefined,
      health: async () => ({ status }),
    });
    expect((await app.inject('/health')).statusCode).toBe(200);
    status = 'degraded';
    const reply = await app.inject('/health');
    expect(reply.statusCode).toBe(503);
    expect(reply.json()).toEqual({ status: 'degraded' });
  });

  it('still serve /metrics when the gauges cannot be refreshed', async () => {
    const app = buildHubHttp({
      registry: new Registry(),
      beforeScrape: async () => {
        throw new Error('Kafka is down');
      },
      health: async () => ({ status: 'ok' }),
    });
    const reply = await app.inject('/metrics');
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
  });
});
