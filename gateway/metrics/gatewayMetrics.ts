import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics. The seed's names ("Event Processing
 * Metrics") keep their meaning at the edge: published = appended to the log,
 * processed = applied to read models and rules, failed = refused input,
 * dead_letter_queue_size = quarantined input. Labels never carry PHI.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
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
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
