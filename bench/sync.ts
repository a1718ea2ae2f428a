/**
 * `npm run bench:sync` (docs/benchmarks.md): drain a backlog of readings
 * to Kafka with the sync engine, beside a raw kafkajs producer loop sending
 * the same pre-serialised records with the same batch size, acks and
 * compression, in the same run; the alert-to-Kafka latency while the backlog
 * drains; bytes per event. Ends with one JSON line (`ratioToRawKafkajs` ...).
 * Options: bench/syncBenchOptions.ts. Not part of `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine } from './report.ts';
import { fillBacklog, openBenchStore } from './syncBacklog.ts';
import { resolveSyncBenchOptions } from './syncBenchOptions.ts';
import { engineDrain } from './syncDrain.ts';
import { benchKafka } from './syncKafka.ts';
import { rawKafkajsDrain } from './syncRawBaseline.ts';

const options = resolveSyncBenchOptions(process.argv.slice(2), process.env);
const log = (line: string) => console.log(line);
const n = (value: number) => Math.round(value).toLocaleString('en-US');

log(`bench:sync on ${JSON.stringify(machine())}`);
log(`options ${JSON.stringify(options)}`);
const kafka = await benchKafka();
const dataDir = mkdtempSync(join(tmpdir(), 'nilecare-bench-sync-'));
const run = Date.now().toString(36);
const rawPrefix = `bench-raw-${run}.`;
const enginePrefix = `bench-engine-${run}.`;
try {
  await kafka.createTopics(rawPrefix, options.partitions);
  await kafka.createTopics(enginePrefix, options.partitions);
  const services = openBenchStore(dataDir);
  log(`filling the log with ${n(options.events)} readings`);
  fillBacklog(services, options.events);

  log('raw kafkajs loop: same records, serialised beforehand, same batch size, acks=all, gzip');
  const raw = await rawKafkajsDrain(services, kafka.brokers, rawPrefix, options.batchEvents);
  log(`  ${n(raw.eventsPerSecond)} events/s (${raw.seconds.toFixed(1)} s)`);

  log(`sync engine: the same backlog from the log, an alert appended every ${options.alertEveryMs} ms`);
  const engine = await engineDrain(
    services,
    kafka.brokers,
    enginePrefix,
    options.batchEvents,
    options.alertEveryMs,
    log,
  );
  const ratioToRawKafkajs = Math.round((engine.eventsPerSecond / raw.eventsPerSecond) * 1000) / 1000;
  const onDisk = kafka.bytesOnDisk(enginePrefix);
  const brokerBytesPerEvent = onDisk === undefined ? null : Math.round((onDisk / engine.events) * 10) / 10;
  log(
    `  ${n(engine.eventsPerSecond)} events/s (${engine.seconds.toFixed(1)} s): ${ratioToRawKafkajs} of the raw loop`,
  );
  log(
    `  alert to Kafka while draining: p50 ${engine.alertToKafka.p50Ms} ms, p99 ${engine.alertToKafka.p99Ms} ms, max ${engine.alertToKafka.maxMs} ms (n ${engine.alertToKafka.count})`,
  );
  log(
    `  bytes per event: ${engine.recordBytesPerEvent.toFixed(0)} before gzip; ${brokerBytesPerEvent ?? 'n/a'} in the broker's segments (gzip record batches)`,
  );
  const targets = {
    ratioToRawKafkajs: { target: '>= 0.8', pass: ratioToRawKafkajs >= 0.8 },
    alertP99Ms: { target: '< 2000 while the backlog drains', pass: engine.alertToKafka.p99Ms < 2000 },
  };
  log(`targets ${JSON.stringify(targets)}`);
  services.db.close();
  console.log(
    JSON.stringify({
      bench: 'sync',
      options,
      machine: machine(),
      rawKafkajsEventsPerSecond: Math.round(raw.eventsPerSecond),
      engineEventsPerSecond: Math.round(engine.eventsPerSecond),
      ratioToRawKafkajs,
      alertToKafkaMs: engine.alertToKafka,
      recordBytesPerEvent: Math.round(engine.recordBytesPerEvent),
      brokerBytesPerEvent,
      targets,
    }),
  );
} finally {
  await kafka.deleteTopics(rawPrefix);
  await kafka.deleteTopics(enginePrefix);
  await kafka.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
