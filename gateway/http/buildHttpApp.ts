import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayServices } from '../gatewayServices.ts';
import { frameworkErrorReply, replyWithCodedErrors } from './errorReplies.ts';
import { keepUnparsedJsonBodies } from './jsonBodies.ts';
import { alertRoutes } from './routes/alerts.ts';
import { deviceRoutes } from './routes/devices.ts';
import { encounterRoutes } from './routes/encounters.ts';
import { news2ScaleRoutes } from './routes/news2Scale.ts';
import { operationsRoutes } from './routes/operations.ts';
import { patientRoutes } from './routes/patients.ts';
import { streamRoutes } from './routes/stream.ts';
import { syncRoutes } from './routes/sync.ts';
import { timelineRoutes } from './routes/timeline.ts';
import { vitalsRoutes } from './routes/vitals.ts';
import { vitalsTrendRoutes } from './routes/vitalsTrend.ts';
import { flowsheetRoutes } from './routes/flowsheet.ts';
import { news2TrendRoutes } from './routes/news2Trends.ts';
import { handoverRoutes } from './routes/handover.ts';
import { wardBoardUi } from './routes/wardBoardUi.ts';
import cookie from '@fastify/cookie';
import { createGatewayAuth } from '../auth/gatewayAuth.ts';
import { guardRoutesWithSessions } from '../auth/sessionGuard.ts';
import { nationalIdRoutes } from './routes/nationalId.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';
import { admissionRoutes } from './routes/admissions.ts';
import { bedRoutes } from './routes/beds.ts';
import { diagnosisRoutes } from './routes/diagnoses.ts';
import { clinicalUpdateRoutes } from './routes/clinicalUpdates.ts';
import { medicationRoutes } from './routes/medications.ts';
import { labResultRoutes } from './routes/labResults.ts';
import { qcResultRoutes } from './routes/qcResults.ts';
import { labOrderRoutes } from './routes/labOrders.ts';
import { refuseCrossSiteWrites, requireJsonWrites } from './sameOriginWrites.ts';
import { serverTlsPolicy } from '../provisioning/tlsMaterial.ts';
import { requestForLog } from './requestLogView.ts';
import { addSecurityHeaders } from './securityHeaders.ts';

/** Largest request body accepted, in bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * Builds the HTTP API without listening, so tests use `app.inject()`. Every
 * error leaves as `{ code, message, statusCode, details? }` with a code from
 * docs/errors.md; invalid bodies are also counted and quarantined
 * (errorReplies.ts).
 */
export async function buildHttpApp(
  services: GatewayServices,
  logger: Logger,
  https?: { key: Buffer; cert: Buffer },
): Promise<FastifyInstance> {
  const app = Fastify({
    // HTTPS for a provisioned gateway (its certificate from the local CA); the type stays FastifyInstance.
    ...((https ? { https: { ...https, ...serverTlsPolicy } } : {}) as object),
    // Request lines without patient ids in their URLs (requestLogView.ts).
    loggerInstance: logger.child(
      { component: 'http' },
      { serializers: { req: requestForLog } },
    ) as unknown as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // A URL refused before routing answers with a coded error like every other (errorReplies.ts).
    frameworkErrors: frameworkErrorReply(services),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'NileCare Edge gateway API',
        version: '1.0.0',
        description:
          'The clinic gateway: patients, encounters, vitals, alerts, devices, live stream. Errors: docs/errors.md.',
      },
      tags: ['patients', 'encounters', 'vitals', 'alerts', 'devices', 'stream', 'operations'].map((name) => ({
        name,
      })),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  replyWithCodedErrors(app, services, keepUnparsedJsonBodies(app));
  addSecurityHeaders(app);

  // Sessions before any route: every route declares its permission or is refused (auth/permissions.ts).
  // Changes from other origins' pages refused first, then the session, then a body that is not JSON.
  refuseCrossSiteWrites(app);
  await app.register(cookie);
  const auth = createGatewayAuth(services);
  guardRoutesWithSessions(app, auth);
  requireJsonWrites(app);
  await app.register(async (scope) => sessionRoutes(scope, auth));
  await app.register(async (scope) => userRoutes(scope, auth));
  await app.register(async (scope) => nationalIdRoutes(scope, services));

  for (const routes of [
    patientRoutes,
    timelineRoutes,
    encounterRoutes,
    news2ScaleRoutes,
    vitalsRoutes,
    vitalsTrendRoutes,
    flowsheetRoutes,
    news2TrendRoutes,
    handoverRoutes,
    alertRoutes,
    deviceRoutes,
    streamRoutes,
    operationsRoutes,
    syncRoutes,
    admissionRoutes,
    bedRoutes,
    diagnosisRoutes,
    clinicalUpdateRoutes,
    medicationRoutes,
    labResultRoutes,
    qcResultRoutes,
    labOrderRoutes,
  ]) {
    await app.register(async (scope) => routes(scope, services));
  }
  await app.register(wardBoardUi);

  return app;
}
