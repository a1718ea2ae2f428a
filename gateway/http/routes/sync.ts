import type { FastifyInstance } from 'fastify';
import { readSyncStatus } from '../../../sync/syncStatus.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { SyncStatus } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { syncStatusReply } from '../contract/operations.ts';

/**
 * Whether what the clinic recorded has reached the hub (docs/sync.md,
 * "What you can see": nurses see whether data has reached the hub): connection, backlog
 * per lane, age of the oldest unsynced event, send rate, estimated drain
 * time, dead letters. The same figures as the nilecare_sync_* metrics and
 * `nilecare sync status` (docs/sync.md).
 */
export async function syncRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Reply: SyncStatus }>(
    '/api/v1/sync',
    {
      config: { permission: 'sync.read' },
      schema: {
        tags: ['operations'],
        summary:
          'Sync to the hub: connected, backlog per lane, oldest unsynced, send rate, drain time, dead letters',
        response: { 200: syncStatusReply, ...errorReplies(...signedIn) },
      },
    },
    async () => ({
      configured: services.options.kafkaBrokers.length > 0,
      ...readSyncStatus(services.db, services.clock()),
    }),
  );
}
