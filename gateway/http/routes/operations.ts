import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { Health, QuarantineList } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { healthReply, metricsReply, quarantineReply } from '../contract/operations.ts';

/** /health for monitors and technicians, /metrics for Prometheus, the quarantine for inspection. */
export async function operationsRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { metrics, log, identity, quarantine } = services;

  app.get<{ Reply: Health }>(
    '/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and a summary of the gateway',
        response: { 200: healthReply, ...errorReplies() },
      },
    },
    async () => ({
      status: 'ok',
      gatewayId: identity.gatewayId,
      facilityId: identity.facilityId,
      log: { headSeq: log.head.seq },
      quarantined: quarantine.count(),
      uptimeSeconds: Math.round((services.clock().getTime() - services.startedAt.getTime()) / 1000),
      // The nurse's screen shows a banner from this block (docs/operations.md, "When the disk fills").
      storage: services.storage.snapshot(),
    }),
  );

  app.get(
    '/metrics',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        response: { 200: metricsReply, ...errorReplies() },
      },
    },
    async (_request, reply) => {
      metrics.logEvents.set(log.head.seq);
      metrics.deadLetterQueueSize.set(quarantine.count());
      const open = services.alerts.open();
      metrics.alertsActive.set(
        { priority: 'high' },
        open.filter((alert) => alert.priority === 'high').length,
      );
      metrics.alertsActive.set(
        { priority: 'medium' },
        open.filter((alert) => alert.priority === 'medium').length,
      );
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );

  app.get<{ Reply: QuarantineList }>(
    '/api/v1/quarantine',
    {
      config: { permission: 'quarantine.read' },
      schema: {
        tags: ['operations'],
        summary: 'Refused input with its reason (raw bytes stay sealed)',
        response: { 200: quarantineReply, ...errorReplies(...signedIn) },
      },
    },
    async () => ({
      quarantined: services.db
        .prepare(
          'SELECT id, received_at AS receivedAt, channel, origin, reason_code AS code, reason, issues, raw_size AS rawSize FROM quarantine ORDER BY id DESC LIMIT 200',
        )
        .all()
        .map((row) => {
          const record = row as Omit<QuarantineList['quarantined'][number], 'issues'> & {
            issues: string | null;
          };
          return { ...record, issues: record.issues ? JSON.parse(record.issues) : [] };
        }),
    }),
  );
}
