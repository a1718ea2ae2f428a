import type { Logger } from 'pino';
import { type DownstreamConsumer, startDownstreamConsumer } from './downstreamConsumer.ts';
import type { HubLink } from './hubConnection.ts';
import { createSyncKafka } from './kafkaClient.ts';
import { refreshLaneTable } from './laneTable.ts';
import { configureRetention } from './retention.ts';
import { type SyncEngine, type SyncEngineOptions, startSyncEngine } from './syncEngine.ts';
import { readSyncStatus } from './syncStatus.ts';
import type { GatewayServices, GatewayOptions } from '../gateway/pluginApi.ts';

/**
 * What every gateway start does for sync, brokers or not: lanes refreshed
 * from the catalogue, the retention age handed to the database, and the
 * sync gauges reading the database at scrape time (the backlog grows and
 * shows while no broker is configured).
 */
export function prepareSync(services: GatewayServices): void {
  refreshLaneTable(services.db);
  configureRetention(services.db, services.options.syncRetentionDays);
  services.metrics.readSyncStatusFrom(() => readSyncStatus(services.db, services.clock(), 0));
}

/** The engine's options from the gateway's (docs/sync.md lists them with their variables). */
export function syncEngineOptions(options: GatewayOptions, gatewayId: string): SyncEngineOptions {
  return {
    brokers: options.kafkaBrokers,
    clientId: `nilecare-gateway-${gatewayId}`,
    topicPrefix: options.syncTopicPrefix,
    bandwidthBytesPerSecond: options.syncBandwidthBytesPerSecond,
    batchMaxEvents: options.syncBatchMaxEvents,
    batchMaxBytes: options.syncBatchMaxBytes,
    reconnect: { minMs: options.syncReconnectMinMs, maxMs: options.syncReconnectMaxMs },
    requestTimeoutMs: options.syncRequestTimeoutMs,
    retentionDays: options.syncRetentionDays,
  };
}

/** Gateway to hub: the sync engine sending the log over `hub`, woken by each append. */
export function startHubSync(hub: HubLink, services: GatewayServices, logger: Logger): SyncEngine {
  return startSyncEngine(
    {
      ...syncEngineOptions(services.options, services.identity.gatewayId),
      brokers: hub.brokers,
      ...(hub.security ? { security: hub.security } : {}),
    },
    {
      db: services.db,
      metrics: services.metrics,
      logger: logger.child({ component: 'sync' }),
      clock: services.clock,
      onAppended: (listener) => services.liveFeed.subscribe(() => listener()),
    },
  );
}

/** Hub to gateway: CDS findings and what else the hub has for this clinic (docs/hub.md), over `hub`. */
export function startHubDownstream(
  hub: HubLink,
  services: GatewayServices,
  logger: Logger,
): DownstreamConsumer {
  const { options } = services;
  const downstreamLogger = logger.child({ component: 'downstream' });
  return startDownstreamConsumer({
    kafka: createSyncKafka(
      {
        brokers: hub.brokers,
        ...(hub.security ? { security: hub.security } : {}),
        clientId: `nilecare-gateway-${services.identity.gatewayId}-downstream`,
        requestTimeoutMs: options.syncRequestTimeoutMs,
        connectionTimeoutMs: options.syncRequestTimeoutMs,
      },
      downstreamLogger,
    ),
    db: services.db,
    record: (input) => services.recorder.record(input),
    gatewayId: services.identity.gatewayId,
    topicPrefix: options.syncTopicPrefix,
    logger: downstreamLogger,
    reconnect: { minMs: options.syncReconnectMinMs, maxMs: options.syncReconnectMaxMs },
  });
}
