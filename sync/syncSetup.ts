import { refreshLaneTable } from './laneTable.ts';
import { configureRetention } from './retention.ts';
import type { SyncEngineOptions } from './syncEngine.ts';
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
