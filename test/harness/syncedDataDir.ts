import pino from 'pino';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { type SyncEngine, type SyncEngineOptions, startSyncEngine } from '../../sync/syncEngine.ts';
import { prepareSync, syncEngineOptions } from '../../sync/syncSetup.ts';
import { readSyncStatus, type SyncStatus } from '../../sync/syncStatus.ts';
import { testKafkaBrokers } from './kafka.ts';
import { waitFor } from './waitFor.ts';

/**
 * A sync engine over a data folder the test writes (openRecordedDataDir), as
 * the gateway starts it, sending to the test Kafka under `topicPrefix`.
 */
export function startEngine(
  services: GatewayServices,
  overrides: Partial<SyncEngineOptions> & { topicPrefix: string },
): SyncEngine {
  prepareSync(services);
  const options: SyncEngineOptions = {
    ...syncEngineOptions(services.options, services.identity.gatewayId),
    brokers: testKafkaBrokers(),
    reconnect: { minMs: 50, maxMs: 500 },
    requestTimeoutMs: 5000,
    idlePollMs: 200,
    ...overrides,
  };
  return startSyncEngine(options, {
    db: services.db,
    metrics: services.metrics,
    logger: pino({ level: process.env.SYNC_TEST_LOG ?? 'silent' }),
    clock: () => new Date(),
    onAppended: (listener) => services.liveFeed.subscribe(() => listener()),
  });
}

export function syncStatusOf(services: GatewayServices): SyncStatus {
  return readSyncStatus(services.db, new Date());
}

/** Waits until every lane's backlog is empty. */
export function drained(services: GatewayServices, timeoutMs = 60_000): Promise<SyncStatus> {
  return waitFor(
    'the sync backlog to drain',
    () => {
      const status = syncStatusOf(services);
      return status.backlog === 0 ? status : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
}
