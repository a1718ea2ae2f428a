import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isGatewayError } from '../errors.ts';
import type { GatewayServices } from '../gatewayServices.ts';
import { alertRoutes } from './routes/alerts.ts';
import { deviceRoutes } from './routes/devices.ts';
import { encounterRoutes } from './routes/encounters.ts';
import { operationsRoutes } from './routes/operations.ts';
import { patientRoutes } from './routes/patients.ts';
import { streamRoutes } from './routes/stream.ts';
import { vitalsRoutes } from './routes/vitals.ts';

/** Largest request body accepted, in bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * Builds the HTTP API without listening, so tests use `app.inject()`. Every
 * error leaves as `{ code, message, statusCode, details? }` with a code from
 * docs/errors.md; invalid bodies are also counted and quarantined.
 */
export async function buildHttpApp(services: GatewayServices, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'NileCare Edge gateway API', version: '1.0.0', description: 'The clinic gateway: patients, encounters, vitals, alerts, devices, live stream. Errors: docs/errors.md.' },
      tags: ['patients', 'encounters', 'vitals', 'alerts', 'devices', 'stream', 'operations'].map((name) => ({ name })),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isGatewayError(error)) {
      if (error.statusCode >= 500) request.log.error({ code: error.code, err: error }, 'request failed');
      return reply.code(error.statusCode).send({ code: error.code, message: error.message, statusCode: error.statusCode, ...(error.details ? { details: error.details } : {}) });
    }
    if (error.validation) {
      const reason = `${error.validationContext ?? 'body'}${error.message.replace(/^[a-z]+/, '')}`;
      await services.recorder.quarantine({ channel: 'http', origin: `${request.method} ${request.routeOptions.url ?? request.url}`, reasonCode: 'GW_ERR_REQUEST_INVALID', reason, raw: safeBody(request.body) });
      return reply.code(400).send({ code: 'GW_ERR_REQUEST_INVALID', message: `Request refused: ${reason}`, statusCode: 400, details: { issues: error.validation } });
    }
    const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else services.metrics.eventsFailed.inc({ channel: 'http', reason: error.code ?? 'http' });
    return reply.code(statusCode).send({ code: statusCode >= 500 ? 'GW_ERR_INTERNAL' : 'GW_ERR_REQUEST_INVALID', message: statusCode >= 500 ? 'Internal error' : error.message, statusCode });
  });

  for (const routes of [patientRoutes, encounterRoutes, vitalsRoutes, alertRoutes, deviceRoutes, streamRoutes, operationsRoutes]) {
    await app.register(async (scope) => routes(scope, services));
  }
  return app;
}

function safeBody(body: unknown): string {
  try {
    return typeof body === 'string' ? body : JSON.stringify(body ?? null);
  } catch {
    return '<unserialisable body>';
  }
}
