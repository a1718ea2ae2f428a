import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { hubOpenApi } from './hubOpenApi.ts';

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

const tags = ['operations'];
const healthReply = {
  type: 'object',
  required: ['status'],
  additionalProperties: true,
  properties: { status: { type: 'string', enum: ['ok', 'degraded'] } },
} as const;

/**
 * The hub's HTTP server: `/metrics` for Prometheus, `/health` for monitors
 * (503 when a service or PostgreSQL is down), the services' APIs, and their
 * OpenAPI document at `/openapi.json` (Swagger UI at `/docs`). Built apart
 * from `listen()`, so tests can `inject()`.
 */
export function buildHubHttp(deps: HubHttpDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  // Plugins load in order: the swagger plugin's route hook is in place before any route below is added.
  app.register(swagger, hubOpenApi);
  app.register(swaggerUi, { routePrefix: '/docs' });
  app.register(async (scope) => {
    scope.get(
      '/health',
      {
        schema: {
          tags,
          summary: "Each service's state; 503 when a service stopped or PostgreSQL does not answer",
          response: {
            200: { description: 'everything runs', ...healthReply },
            503: { description: 'something does not', ...healthReply },
          },
        },
      },
      async (_request, reply) => {
        const health = await deps.health();
        return reply.code(health.status === 'ok' ? 200 : 503).send(health);
      },
    );
    scope.get(
      '/metrics',
      {
        schema: {
          tags,
          summary: 'Prometheus metrics of every service (docs/hub.md#metrics)',
          response: {
            200: {
              description: 'Prometheus text exposition format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      async (_request, reply) => {
        // A scrape still answers when Kafka or PostgreSQL is slow: the gauges keep their last values.
        await deps.beforeScrape().catch(() => undefined);
        return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
      },
    );
    scope.get(
      '/openapi.json',
      {
        schema: {
          tags,
          summary: "This API reference: the hub's OpenAPI 3 document",
          response: {
            200: { description: 'OpenAPI 3 document', type: 'object', additionalProperties: true },
          },
        },
      },
      async () => app.swagger(),
    );
  });
  for (const api of deps.apis ?? []) app.register(api.register, { prefix: api.prefix });
  return app;
}
