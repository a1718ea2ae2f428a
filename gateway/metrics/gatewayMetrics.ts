import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SyncStatus } from '../../sync/syncStatus.ts';

/**
 * The gateway's Prometheus metrics. The platform design's names ("Event Processing
 * Metrics") keep their meaning at the edge: published = appended to the log,
 * processed = applied to read models and rules, failed = refused input,
 * dead_letter_queue_size = quarantined input. What the sync engine sent to
 * Kafka is counted apart (nilecare_sync_events_sent_total), so that
 * sum(events_published_total) stays the number of events recorded and is
 * never counted twice. Labels never carry PHI.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    ...createSyncMetrics(registry),
    registry,
    eventsPublished: new Counter({
      name: 'events_published_total',
      help: 'Events appended to the gateway log',
      labelNames: ['event_type', 'topic'],
      registers: [registry],
    }),
    eventsProcessed: new Counter({
      name: 'events_processed_total',
      help: 'Events applied to read models and critical-value rules',
      labelNames: ['event_type'],
      registers: [registry],
    }),
    eventsFailed: new Counter({
      name: 'events_failed_total',
      help: 'Input refused (invalid, unauthorised, oversize), by channel and reason',
      labelNames: ['channel', 'reason'],
      registers: [registry],
    }),
    processingDuration: new Histogram({
      name: 'event_processing_duration_seconds',
      help: 'From input received to durable commit (group commit included)',
      labelNames: ['channel'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deadLetterQueueSize: new Gauge({
      name: 'dead_letter_queue_size',
      help: 'Quarantined inputs held on the gateway',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'nilecare_duplicate_readings_total',
      help: 'Device retransmissions recognised and stored once',
      labelNames: ['channel'],
      registers: [registry],
    }),
    commitBatchSize: new Histogram({
      name: 'nilecare_group_commit_batch_size',
      help: 'Inputs sharing one SQLite transaction',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000],
      registers: [registry],
    }),
    alertsActive: new Gauge({
      name: 'nilecare_alerts_active',
      help: 'Alerts not yet resolved',
      labelNames: ['priority'],
      registers: [registry],
    }),
    mqttClients: new Gauge({
      name: 'nilecare_mqtt_clients_connected',
      help: 'Devices connected to the embedded broker',
      registers: [registry],
    }),
    mqttLoginChecks: new Counter({
      name: 'nilecare_mqtt_login_checks_total',
      help: 'Device passwords checked with scrypt at MQTT CONNECT (the decoy check of an unknown device included)',
      registers: [registry],
    }),
    mqttConnectsRefused: new Counter({
      name: 'nilecare_mqtt_connects_refused_total',
      help: 'MQTT connections refused before a session (each one, quarantined or only counted), by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    logEvents: new Gauge({
      name: 'nilecare_event_log_events',
      help: 'Events in the gateway log',
      registers: [registry],
    }),
    clockBackwards: new Counter({
      name: 'nilecare_gateway_clock_backwards_total',
      help: 'Appends whose gateway clock was earlier than the previous append',
      registers: [registry],
    }),
    deviceClockImplausible: new Counter({
      name: 'nilecare_device_clock_implausible_total',
      help: 'Readings and lab results kept with a measurement time that cannot be right (before the floor or the device registration, or too far ahead), by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    storageFreeBytes: new Gauge({
      name: 'nilecare_storage_free_bytes',
      help: 'Free bytes for the data folder (file system plus pages SQLite can reuse), as last measured or estimated',
      registers: [registry],
    }),
    storageState: new Gauge({
      name: 'nilecare_storage_state',
      help: 'Disk space state of the data folder: 0 ok, 1 low (telemetry refused), 2 critical (only alerts, acknowledgements and clinician actions)',
      registers: [registry],
    }),
    storageRefusedInputs: new Counter({
      name: 'nilecare_storage_refused_inputs_total',
      help: 'Inputs refused because the disk is low (GW_ERR_DISK_LOW), by sync lane and channel',
      labelNames: ['lane', 'channel'],
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/**
 * The sync engine's metrics (docs/sync.md). Counters are counted by the
 * engine as Kafka acknowledges; gauges are read from the database at scrape
 * time through `readSyncStatusFrom` (what GET /api/v1/sync and
 * `nilecare sync status` show), at most once per half second.
 */
function createSyncMetrics(registry: Registry) {
  let source: (() => SyncStatus) | undefined;
  let cached: { at: number; status: SyncStatus } | undefined;
  const status = (): SyncStatus | undefined => {
    if (!source) return undefined;
    const now = Date.now();
    if (!cached || now - cached.at > 500) cached = { at: now, status: source() };
    return cached.status;
  };
  const gauge = (name: string, help: string, value: (status: SyncStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = status();
        if (current) this.set(value(current));
      },
    });
  return {
    /** Where the sync gauges read from at scrape time (the composition root sets it). */
    readSyncStatusFrom(read: () => SyncStatus): void {
      source = read;
      cached = undefined;
    },
    syncEventsSent: new Counter({
      name: 'nilecare_sync_events_sent_total',
      help: 'Events Kafka acknowledged (acks=all), by sync lane and topic; re-sends after a cut count again',
      labelNames: ['lane', 'topic'],
      registers: [registry],
    }),
    syncBytesSent: new Counter({
      name: 'nilecare_sync_bytes_sent_total',
      help: 'Record bytes (before gzip) Kafka acknowledged, by sync lane',
      labelNames: ['lane'],
      registers: [registry],
    }),
    syncSendErrors: new Counter({
      name: 'nilecare_sync_send_errors_total',
      help: 'Failed sends and connection attempts, by kind (transient, rejected) and Kafka error code',
      labelNames: ['kind', 'code'],
      registers: [registry],
    }),
    syncDeadLettered: new Counter({
      name: 'nilecare_sync_dead_lettered_total',
      help: 'Events Kafka refused for good, kept in the local dead-letter table, by lane and reason',
      labelNames: ['lane', 'reason'],
      registers: [registry],
    }),
    syncBacklog: new Gauge({
      name: 'nilecare_sync_backlog_events',
      help: 'Events recorded but not yet acknowledged by Kafka, by sync lane',
      labelNames: ['lane'],
      registers: [registry],
      collect() {
        const current = status();
        this.reset();
        for (const lane of current?.lanes ?? []) this.set({ lane: lane.lane }, lane.backlog);
      },
    }),
    syncOldestUnsynced: gauge(
      'nilecare_sync_oldest_unsynced_seconds',
      'Age of the oldest event not yet acknowledged by Kafka (0: nothing waits)',
      (current) => current.oldestUnsyncedSeconds ?? 0,
    ),
    syncConnected: gauge(
      'nilecare_sync_connected',
      '1 while the sync engine holds a working connection to Kafka',
      (current) => Number(current.connected),
    ),
    syncRunning: gauge(
      'nilecare_sync_engine_running',
      '1 while the sync engine runs (Kafka brokers configured and its heartbeat fresh)',
      (current) => Number(current.engine === 'running'),
    ),
    syncSendRate: gauge(
      'nilecare_sync_send_rate_events_per_second',
      'Events per second Kafka acknowledged over the last 30 s',
      (current) => current.sendRate.eventsPerSecond,
    ),
    syncSendBytesRate: gauge(
      'nilecare_sync_send_rate_bytes_per_second',
      'Record bytes per second Kafka acknowledged over the last 30 s',
      (current) => current.sendRate.bytesPerSecond,
    ),
    syncDrain: gauge(
      'nilecare_sync_estimated_drain_seconds',
      'Backlog divided by the send rate; +Inf while events wait and nothing moves (offline)',
      (current) => current.estimatedDrainSeconds ?? Number.POSITIVE_INFINITY,
    ),
    syncDeadLetters: gauge(
      'nilecare_sync_dead_letter_events',
      'Events in the local dead-letter table (refused by Kafka for good)',
      (current) => current.deadLetters.count,
    ),
    syncLastSuccess: gauge(
      'nilecare_sync_last_success_timestamp_seconds',
      'When Kafka last acknowledged a batch, Unix time; 0 if never',
      (current) => (current.lastSuccessfulSendAt ? Date.parse(current.lastSuccessfulSendAt) / 1000 : 0),
    ),
    syncAcknowledgedThrough: gauge(
      'nilecare_sync_acknowledged_through_seq',
      'Every event at or below this seq was acknowledged by Kafka (the retention watermark)',
      (current) => current.acknowledgedThroughSeq,
    ),
    syncPrunedThrough: gauge(
      'nilecare_sync_pruned_through_seq',
      'The last event local retention pruned (0: none)',
      (current) => current.prunedThroughSeq,
    ),
  };
}
