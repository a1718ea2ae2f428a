import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The hub's Prometheus metrics: the platform design's names ("Event Processing Metrics")
 * per service, consumer lag per partition under kafka-exporter's name (so the
 * usual Grafana panels and alert rules apply), and the ingest guard's own.
 * Labels carry ids and codes, never PHI.
 */
export function createHubMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsProcessed: new Counter({
      name: 'events_processed_total',
      help: 'Records a hub service finished with, by outcome (accepted, duplicate, rejected, pending, hub_origin)',
      labelNames: ['service', 'outcome'],
      registers: [registry],
    }),
    eventsFailed: new Counter({
      name: 'events_failed_total',
      help: 'Records refused or given up on, by reason code (HUB_ERR_...)',
      labelNames: ['service', 'reason'],
      registers: [registry],
    }),
    processingDuration: new Histogram({
      name: 'event_processing_duration_seconds',
      help: 'From a record taken from Kafka to its PostgreSQL commit, retries included',
      labelNames: ['service'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    batchRecords: new Histogram({
      name: 'nilecare_hub_batch_records',
      help: 'Records in one committed batch transaction of a service (docs/hub.md, "Batches")',
      labelNames: ['service'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'nilecare_hub_processing_retries_total',
      help: 'Tries of a record after a failed one',
      labelNames: ['service'],
      registers: [registry],
    }),
    deadLetterQueueSize: new Gauge({
      name: 'dead_letter_queue_size',
      help: 'Records held on the dead-letter topic (sum over partitions of high minus low watermark)',
      labelNames: ['topic'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'nilecare_hub_dead_lettered_total',
      help: 'Records this hub sent to the dead-letter topic, by reason code',
      labelNames: ['service', 'reason'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumergroup_lag',
      help: 'Records not yet committed by a consumer group, per topic partition',
      labelNames: ['consumergroup', 'topic', 'partition'],
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'nilecare_hub_outbox_pending',
      help: 'Dead letters and hub events committed in PostgreSQL but not yet sent to Kafka',
      registers: [registry],
    }),
    complianceViolations: new Counter({
      name: 'nilecare_compliance_violations_total',
      help: 'compliance_violation_detected events raised, by violation type',
      labelNames: ['violation_type'],
      registers: [registry],
    }),
    sequenceGaps: new Counter({
      name: 'nilecare_hub_sequence_gaps_total',
      help: "Holes in a gateway's seq reported after the grace time",
      registers: [registry],
    }),
    awaitingPredecessor: new Gauge({
      name: 'nilecare_hub_events_awaiting_predecessor',
      help: 'Events stored but not yet linked into their chain: an earlier seq has not arrived yet',
      registers: [registry],
    }),
    clockOffset: new Gauge({
      name: 'nilecare_gateway_clock_offset_seconds',
      help: "Hub receive time minus the gateway's recordedAt, smallest seen (sync delay included; negative = gateway clock ahead)",
      labelNames: ['gateway_id'],
      registers: [registry],
    }),
    clockResets: new Counter({
      name: 'nilecare_gateway_clock_resets_total',
      help: 'Events whose gateway clock went backwards (flagged by the gateway or seen by the hub)',
      labelNames: ['gateway_id'],
      registers: [registry],
    }),
  };
}

export type HubMetrics = ReturnType<typeof createHubMetrics>;
