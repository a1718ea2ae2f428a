/**
 * `npm run bench:hub` (docs/benchmarks.md): events/s of each hub
 * service (ingest guard, CDS, notifications, analytics), each alone on the
 * same pre-produced mixed stream of signed gateway events, beside a raw
 * kafkajs consumer loop reading the same topics in the same run. Ends with one
 * JSON line. Kafka: KAFKA_BROKERS, else a broker of its own
 * (deploy/dev/kafka.sh). PostgreSQL: POSTGRES_URL (a server where it may
 * create a database), else a server of its own (bench/benchPostgres.ts), so
 * `npm run bench:hub` alone runs it. Size: BENCH_HUB_EVENTS (default 10000),
 * BENCH_HUB_PARTITIONS (default 3). Not part of `npm test`.
 *
 * Then the gateway-reading-to-FHIR-Observation latency (bench/readingToFhir.ts):
 * BENCH_HUB_READINGS (default 100) readings, one every
 * BENCH_HUB_READING_INTERVAL_MS (default 200), from the gateway's recorder
 * through its sync engine, Kafka, the ingest guard and the FHIR service to
 * the Observation's commit, beside the raw kafkajs produce→consume round trip
 * of the same records.
 */
import { Kafka, logLevel } from 'kafkajs';
import { downstreamTopic } from '../kernel/kafka/kafkaTopics.ts';
import type { HubServiceName } from '../hub/hubOptions.ts';
import { hubTopics } from '../hub/hubTopicNames.ts';
import { benchPostgres } from './benchPostgres.ts';
import { benchDatabase, mixedEvents, produceEvents, rawConsumerLoop, timeService } from './hubServices.ts';
import { rawPgLoop } from './rawPgBaseline.ts';
import { readingToFhirObservation } from './readingToFhir.ts';
import { serviceTargets } from './hubTargets.ts';
import { machine } from './report.ts';
import { benchKafka, leadersOf } from './syncKafka.ts';

const log = (line: string) => console.log(line);
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const events = Number(process.env.BENCH_HUB_EVENTS ?? 10_000);
const partitions = Number(process.env.BENCH_HUB_PARTITIONS ?? 3);
const readings = Number(process.env.BENCH_HUB_READINGS ?? 100);
const readingIntervalMs = Number(process.env.BENCH_HUB_READING_INTERVAL_MS ?? 200);

log(`bench:hub on ${JSON.stringify(machine())}`);
log(`options ${JSON.stringify({ events, partitions, readings, readingIntervalMs })}`);
const server = await benchPostgres();
const postgresUrl = server.url;
log(
  `PostgreSQL: ${server.from === 'own' ? 'a server of its own (fsync off, as the tests run it)' : 'POSTGRES_URL'}`,
);
const benchBroker = await benchKafka().catch(async (error: unknown) => {
  await server.stop();
  throw error;
});
log(`Kafka: ${process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'a broker of its own (deploy/dev/kafka.sh)'}`);
const kafka = new Kafka({ clientId: 'bench-hub', brokers: benchBroker.brokers, logLevel: logLevel.NOTHING });
const run = Date.now().toString(36);
const prefix = `bench-hub-${run}.`;
const topics = hubTopics(prefix);
const database = await benchDatabase(postgresUrl, `bench_hub_${run}`);
// The latency run has topics and a database of its own: no backlog from the services' runs ahead of it.
const latencyPrefix = `bench-hub-latency-${run}.`;
const baselinePrefix = `bench-hub-roundtrip-${run}.`;
const latencyDatabase = await benchDatabase(postgresUrl, `bench_hub_latency_${run}`);
const rawPgDatabase = await benchDatabase(postgresUrl, `bench_hub_raw_pg_${run}`);
const admin = kafka.admin();
await admin.connect();
const serviceTopics: Record<Exclude<HubServiceName, 'ingest-guard'>, string[]> = {
  cds: ['patient-events', 'medication-events', 'clinical-events'].map((t) => `${prefix}${t}`),
  notifications: ['alert-events', 'lab-events', 'appointment-events'].map((t) => `${prefix}${t}`),
  analytics: topics.events,
  fhir: topics.events,
  audit: topics.events,
};
const recordsOn = async (names: string[]) => {
  let total = 0;
  for (const topic of names)
    for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
  return total;
};

try {
  await benchBroker.createTopics(prefix, partitions);
  await admin.createTopics({
    waitForLeaders: false,
    topics: [{ topic: `${prefix}${downstreamTopic}`, numPartitions: partitions, replicationFactor: 1 }],
  });
  await leadersOf(admin, [`${prefix}${downstreamTopic}`], partitions);
  log(`producing ${n(events)} signed gateway events (a mixed stream from 4 gateways)`);
  await produceEvents(kafka, prefix, mixedEvents(events));

  const base = {
    kafkaBrokers: benchBroker.brokers,
    databaseUrl: database.url,
    topicPrefix: prefix,
    consumerGroupPrefix: `${prefix}group`,
  };
  log('raw kafkajs consumer loop: the same ten topics, JSON.parse of each value, no commit');
  const raw = await rawConsumerLoop(kafka, topics.events, events);
  log(`  ${n(raw.eventsPerSecond)} records/s (${raw.seconds.toFixed(1)} s)`);
  log('raw pg loop: the same records stored as the guard stores them, 500 per transaction, nothing checked');
  const rawPg = await rawPgLoop(kafka, topics.events, events, rawPgDatabase.url);
  log(`  ${n(rawPg.eventsPerSecond)} records/s (${rawPg.seconds.toFixed(1)} s)`);

  const results: Record<string, { records: number; eventsPerSecond: number; ratioToRawKafkajs: number }> = {};
  const report = (name: string, timed: { records: number; seconds: number; eventsPerSecond: number }) => {
    const ratioToRawKafkajs = Math.round((timed.eventsPerSecond / raw.eventsPerSecond) * 1000) / 1000;
    results[name] = {
      records: timed.records,
      eventsPerSecond: Math.round(timed.eventsPerSecond),
      ratioToRawKafkajs,
    };
    log(
      `  ${name}: ${n(timed.eventsPerSecond)} records/s (${n(timed.records)} records, ${timed.seconds.toFixed(1)} s): ${ratioToRawKafkajs} of the raw loop`,
    );
  };
  log('each service alone, one PostgreSQL transaction per batch, offsets after commit');
  report('ingest-guard', await timeService('ingest-guard', events, base));
  for (const name of ['fhir', 'audit', 'cds', 'notifications', 'analytics'] as const)
    report(name, await timeService(name, await recordsOn(serviceTopics[name]), base));

  log(
    'gateway reading to FHIR Observation: recorder → sync engine → Kafka → ingest guard + fhir → PostgreSQL',
  );
  await benchBroker.createTopics(latencyPrefix, partitions);
  await benchBroker.createTopics(baselinePrefix, partitions);
  const latency = await readingToFhirObservation({
    brokers: benchBroker.brokers,
    prefix: latencyPrefix,
    baselinePrefix,
    databaseUrl: latencyDatabase.url,
    readings,
    intervalMs: readingIntervalMs,
    log,
  });
  const ms = (figures: { p50Ms: number; p95Ms: number; maxMs: number; count: number }) =>
    `p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, max ${figures.maxMs} ms (n ${figures.count})`;
  log(`  reading to Observation committed: ${ms(latency.readingToFhirObservation)}`);
  log(`  of which to the ingest guard's verdict committed: ${ms(latency.readingToGuardAccepted)}`);
  log(
    `  FHIR service tries again meanwhile (waits for the guard's verdict): ${latency.fhirRetriesWhileMeasuring}`,
  );
  log(`  raw kafkajs produce→consume of the same records: ${ms(latency.rawKafkajsRoundTrip)}`);

  const guardToRawPg =
    Math.round(((results['ingest-guard']?.eventsPerSecond ?? 0) / rawPg.eventsPerSecond) * 1000) / 1000;
  console.log(
    JSON.stringify({
      bench: 'hub',
      events,
      partitions,
      rawKafkajsRecordsPerSecond: Math.round(raw.eventsPerSecond),
      rawPgRecordsPerSecond: Math.round(rawPg.eventsPerSecond),
      services: results,
      targets: serviceTargets(results, guardToRawPg),
      readingToFhirObservationMs: latency.readingToFhirObservation,
      readingToGuardAcceptedMs: latency.readingToGuardAccepted,
      fhirRetriesWhileMeasuring: latency.fhirRetriesWhileMeasuring,
      rawKafkajsRoundTripMs: latency.rawKafkajsRoundTrip,
      machine: machine(),
    }),
  );
} finally {
  await admin
    .deleteTopics({ topics: [...topics.events, topics.deadLetter, `${prefix}${downstreamTopic}`] })
    .catch(() => undefined);
  await benchBroker.deleteTopics(latencyPrefix).catch(() => undefined);
  await benchBroker.deleteTopics(baselinePrefix).catch(() => undefined);
  await admin.disconnect();
  await database.drop().catch(() => undefined);
  await latencyDatabase.drop().catch(() => undefined);
  await rawPgDatabase.drop().catch(() => undefined);
  await benchBroker.stop();
  await server.stop();
}
