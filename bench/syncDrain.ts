import pino from 'pino';
import type { GatewayServices } from '../gateway/gatewayServices.ts';
import { startSyncEngine } from '../sync/syncEngine.ts';
import { syncEngineOptions } from '../sync/syncSetup.ts';
import { appendAlert } from './syncBacklog.ts';
import { type LatencySummary, summarizeLatencies } from './percentiles.ts';

export interface EngineDrainFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Record bytes (before gzip) per event, as the engine counted them for its budget. */
  recordBytesPerEvent: number;
  /** From an alert's commit to its lane cursor passing it (Kafka acknowledged, cursor committed). */
  alertToKafka: LatencySummary;
}

/**
 * The sync engine draining the backlog in `services` (as the gateway runs
 * it, no bandwidth limit), while an alert is appended every `alertEveryMs`.
 * Drain time runs from the engine's start to the telemetry cursor reaching
 * the last reading; each alert's latency from its commit to the moment its
 * lane's cursor (polled every 2 ms) passed it.
 */
export async function engineDrain(
  services: GatewayServices,
  brokers: string[],
  prefix: string,
  batchEvents: number,
  alertEveryMs: number,
  log: (line: string) => void,
): Promise<EngineDrainFigures> {
  const { db, metrics } = services;
  const lastReading = services.log.head.seq;
  const cursor = db.prepare<[string], { seq: number }>(
    'SELECT delivered_through_seq AS seq FROM sync_cursors WHERE lane = ?',
  );
  const delivered = (lane: string) => cursor.get(lane)!.seq;
  const started = performance.now();
  const engine = startSyncEngine(
    {
      ...syncEngineOptions(services.options, services.identity.gatewayId),
      brokers,
      topicPrefix: prefix,
      batchMaxEvents: batchEvents,
    },
    { db, metrics, logger: pino({ level: 'warn' }), clock: () => new Date() },
  );
  const latencies: number[] = [];
  const waiting = new Map<number, number>();
  let n = 0;
  const alerts = setInterval(() => {
    waiting.set(appendAlert(services, n++), performance.now());
    engine.wake();
  }, alertEveryMs);
  let drainedAt: number | undefined;
  let lastReport = performance.now();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const now = performance.now();
      const alertCursor = delivered('alert');
      for (const [seq, at] of waiting) {
        if (seq > alertCursor) continue;
        latencies.push(now - at);
        waiting.delete(seq);
      }
      const telemetry = delivered('telemetry');
      if (now - lastReport > 10_000) {
        lastReport = now;
        log(
          `  engine: ${telemetry.toLocaleString('en-US')} of ${lastReading.toLocaleString('en-US')} readings sent`,
        );
      }
      if (drainedAt === undefined && telemetry >= lastReading) {
        drainedAt = now;
        clearInterval(alerts);
      }
      if (drainedAt !== undefined && waiting.size === 0) {
        clearInterval(poll);
        resolve();
      }
    }, 2);
  });
  await engine.stop();
  const seconds = ((drainedAt ?? performance.now()) - started) / 1000;
  const exposition = await metrics.registry.getSingleMetricAsString('nilecare_sync_bytes_sent_total');
  const bytes = [...exposition.matchAll(/lane="telemetry"} (\S+)/g)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
  return {
    events: lastReading,
    seconds,
    eventsPerSecond: lastReading / seconds,
    recordBytesPerEvent: bytes / lastReading,
    alertToKafka: summarizeLatencies(latencies),
  };
}
