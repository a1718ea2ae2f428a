import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface HubHealth {
  status: 'ok' | 'degraded';
  [detail: string]: unknown;
}

export interface HubHttpDeps {
  registry: Registry;
  /** Refreshes gauges read from Kafka and PostgreSQL just before a scrape. */
  beforeScrape: () => Promise<void>;
  health: () => Promise<HubHealth>;
  /** APIs of the services (FHIR under /fhir, audit under /api/v1/audit ...), each in its own context. */
  apis?: readonly HubApi[];
}

/** A service's routes, registered under `prefix` with their own error handling and hooks. */
export interface HubApi {
  prefix: string;
  register: (app: FastifyInstance) => Promise<void>;
}

/**
 * The hub's operations endpoints: `/metrics` for Prometheus and `/health` for
 * monitors (503 when a service or PostgreSQL is down). Built apart from
 * `listen()`, so tests can `inject()`.
 */
export function buildHubHttp(deps: HubHttpDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/health', async (_request, reply) => {
    const health = await deps.health();
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });
  app.get('/metrics', async (_request, reply) => {
    // A scrape still answers when Kafka or PostgreSQL is slow: the gauges keep their last values.
    await deps.beforeScrape().catch(() => undefined);
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  for (const api of deps.apis ?? []) app.register(api.register, { prefix: api.prefix });
  return app;
}
