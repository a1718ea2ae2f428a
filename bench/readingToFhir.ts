import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import pino from 'pino';
import { resolveGatewayOptions } from '../gateway/config/gatewayOptions.ts';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { uuidV7 } from '../kernel/events/ids.ts';
import { draftFor } from '../gateway/http/draftFor.ts';
import { openGatewayStore } from '../gateway/openGatewayStore.ts';
import { resolveHubOptions } from '../hub/hubOptions.ts';
import { startHub } from '../hub/hubProcess.ts';
import { startSyncEngine } from '../sync/syncEngine.ts';
import { prepareSync, syncEngineOptions } from '../sync/syncSetup.ts';
import { toWireRecord } from '../kernel/kafka/wireFormat.ts';
import { percentile } from './percentiles.ts';

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ReadingToFhirFigures {
  /** From handing a reading to the gateway's recorder to its Observation rows committed in PostgreSQL. */
  readingToFhirObservation: LatencyFigures;
  /** The first leg of the same readings: to the ingest guard's `accepted` verdict committed. */
  readingToGuardAccepted: LatencyFigures;
  /** Tries the FHIR service made again meanwhile (mostly waits for the guard's verdict: NotReadyError). */
  fhirRetriesWhileMeasuring: number;
  /** Baseline: a raw kafkajs producer sending the same records, one at a time, to a raw consumer. */
  rawKafkajsRoundTrip: LatencyFigures;
}

const patients = ['p-0', 'p-1', 'p-2', 'p-3', 'p-4'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summary(samples: readonly number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * A gateway store (recorder, log, sync engine, as gateway.ts wires them, no
 * ports) syncing to Kafka under `prefix`, and a hub running the ingest guard
 * and the FHIR service on those topics. `readings` vital-sign readings are
 * recorded one every `intervalMs`; each one's latency runs from the call to
 * the recorder to the commit of its Observation rows, seen by LISTEN on a
 * trigger this bench adds to its own database. Then the baseline: the same
 * records, as the sync engine sent them, produced one at a time by a plain
 * kafkajs producer (acks=all, gzip) to `baselinePrefix` and read back by a
 * plain consumer: Kafka's own share of the path.
 */
export async function readingToFhirObservation(input: {
  brokers: string[];
  prefix: string;
  baselinePrefix: string;
  databaseUrl: string;
  readings: number;
  intervalMs: number;
  log: (line: string) => void;
}): Promise<ReadingToFhirFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nilecare-bench-hub-gw-'));
  const closers: (() => Promise<unknown> | unknown)[] = [
    () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  try {
    const services = openGatewayStore(
      resolveGatewayOptions({ dataDir, logLevel: 'silent' }),
      () => new Date(),
      uuidV7,
      pino({ level: 'silent' }),
    );
    closers.unshift(() => services.db.close());
    services.projections.catchUp(services.log);
    prepareSync(services);

    const hub = await startHub(
      resolveHubOptions({
        kafkaBrokers: input.brokers,
        databaseUrl: input.databaseUrl,
        topicPrefix: input.prefix,
        consumerGroupPrefix: `${input.prefix}group`,
        services: ['ingest-guard', 'fhir'],
        httpHost: '127.0.0.1',
        httpPort: 0,
        logLevel: 'silent',
      }),
      { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
    );
    closers.unshift(() => hub.close());

    // A row becomes visible at its transaction's commit, which is when NOTIFY is delivered: one
    // trigger for the ingest guard's verdict, one for the Observation, each naming the event.
    await hub.pool.query(`
      CREATE FUNCTION bench_observation_committed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('bench_observation', NEW.source_event_id::text); RETURN NULL; END $$;
      CREATE TRIGGER bench_observation_committed AFTER INSERT ON fhir_resources FOR EACH ROW
        WHEN (NEW.resource_type = 'Observation') EXECUTE FUNCTION bench_observation_committed();
      CREATE FUNCTION bench_event_accepted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('bench_accepted', NEW.event_id::text); RETURN NULL; END $$;
      CREATE TRIGGER bench_event_accepted AFTER INSERT OR UPDATE OF status ON gateway_events FOR EACH ROW
        WHEN (NEW.status = 'accepted') EXECUTE FUNCTION bench_event_accepted();`);
    const listener = new pg.Client({ connectionString: input.databaseUrl });
    await listener.connect();
    closers.unshift(() => listener.end());
    const committedAt = new Map<string, number>();
    const acceptedAt = new Map<string, number>();
    listener.on('notification', (message) => {
      const seen = message.channel === 'bench_accepted' ? acceptedAt : committedAt;
      if (message.payload && !seen.has(message.payload)) seen.set(message.payload, performance.now());
    });
    await listener.query('LISTEN bench_observation');
    await listener.query('LISTEN bench_accepted');

    const engine = startSyncEngine(
      {
        ...syncEngineOptions(services.options, services.identity.gatewayId),
        brokers: input.brokers,
        topicPrefix: input.prefix,
      },
      {
        db: services.db,
        metrics: services.metrics,
        logger: pino({ level: 'silent' }),
        clock: () => new Date(),
        onAppended: (listen) => services.liveFeed.subscribe(() => listen()),
      },
    );
    closers.unshift(() => engine.stop());

    let deviceSeq = 0;
    const reading = async (patientId: string) => {
      const at = new Date().toISOString();
      deviceSeq += 1;
      const draft = {
        ...draftFor(
          services,
          'vital_signs_recorded',
          {
            method: 'device',
            deviceId: 'bench-monitor',
            deviceSeq,
            measuredAt: at,
            heartRate: { value: 70 + (deviceSeq % 20), unit: '/min' },
            oxygenSaturation: { value: 96, unit: '%' },
            respiratoryRate: { value: 16, unit: '/min' },
          },
          { patientId, at },
        ),
        source: 'device-integration-service',
      };
      const startedAt = performance.now();
      const outcome = await services.recorder.record({
        channel: 'mqtt',
        origin: 'bench-monitor',
        draft,
        deviceKey: `bench-monitor#${deviceSeq}`,
      });
      if (outcome.status !== 'appended') throw new Error(`reading not recorded: ${outcome.status}`);
      return { eventId: draft.eventId, startedAt };
    };

    // Warm-up: patients registered and one reading each through the whole path (consumer groups joined).
    for (const patientId of patients) {
      const draft = draftFor(
        services,
        'patient_registered',
        { firstName: 'Bench', lastName: 'Patient', sex: 'female', registeredAt: new Date().toISOString() },
        { patientId },
      );
      const outcome = await services.recorder.record({ channel: 'internal', origin: 'bench', draft });
      if (outcome.status !== 'appended') throw new Error(`patient not registered: ${outcome.status}`);
    }
    const warmUp = await Promise.all(patients.map(reading));
    await until(
      'warm-up readings in FHIR',
      () => warmUp.every(({ eventId }) => committedAt.has(eventId)),
      180_000,
    );
    input.log(
      `  pipeline warm (${patients.length} patients, ${warmUp.length} readings through); measuring ${input.readings} readings, one every ${input.intervalMs} ms`,
    );

    const fhirRetries = async () =>
      (await hub.metrics.retries.get()).values.find((value) => value.labels.service === 'fhir')?.value ?? 0;
    const retriesBefore = await fhirRetries();
    const measured: { eventId: string; startedAt: number }[] = [];
    for (let n = 0; n < input.readings; n += 1) {
      measured.push(await reading(patients[n % patients.length]!));
      await sleep(input.intervalMs);
    }
    await until('readings in FHIR', () => measured.every(({ eventId }) => committedAt.has(eventId)), 120_000);
    const readingToFhir = summary(
      measured.map(({ eventId, startedAt }) => committedAt.get(eventId)! - startedAt),
    );
    const fhirRetriesWhileMeasuring = (await fhirRetries()) - retriesBefore;
    const readingToGuard = summary(
      measured.map(({ eventId, startedAt }) => (acceptedAt.get(eventId) ?? Number.NaN) - startedAt),
    );

    // The baseline, on the same broker, with the records the sync engine sent.
    const ids = new Set(measured.map(({ eventId }) => eventId));
    const events = services.log.readFrom(1, 1_000_000).filter((event) => ids.has(event.eventId));
    const rawRoundTrip = summary(await rawRoundTrips(input, events));
    return {
      readingToFhirObservation: readingToFhir,
      readingToGuardAccepted: readingToGuard,
      fhirRetriesWhileMeasuring,
      rawKafkajsRoundTrip: rawRoundTrip,
    };
  } finally {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
  }
}

/** Produce→consume time of each record, sent one at a time every `intervalMs`, plain kafkajs. */
async function rawRoundTrips(
  input: { brokers: string[]; baselinePrefix: string; intervalMs: number },
  events: readonly ClinicalEvent[],
): Promise<number[]> {
  const kafka = new Kafka({
    clientId: 'bench-hub-roundtrip',
    brokers: input.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${input.baselinePrefix}raw`, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  try {
    const topic = input.baselinePrefix + toWireRecord(events[0]!).topic;
    const receivedAt = new Map<string, number>();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = (JSON.parse(message.value?.toString('utf8') ?? '{}') as { eventId?: string }).eventId;
        if (id && !receivedAt.has(id)) receivedAt.set(id, performance.now());
      },
    });
    const send = async (event: ClinicalEvent) => {
      const wire = toWireRecord(event);
      const startedAt = performance.now();
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: [{ key: wire.key, value: wire.value, headers: wire.headers }],
      });
      return startedAt;
    };
    // Warm-up: the first record waits for the group to join; it is not counted.
    const first = events[0]!;
    await send(first);
    await until('baseline warm-up record', () => receivedAt.has(first.eventId), 120_000);
    receivedAt.clear();
    const sent = new Map<string, number>();
    for (const event of events) {
      sent.set(event.eventId, await send(event));
      await sleep(input.intervalMs);
    }
    await until('baseline records', () => [...sent.keys()].every((id) => receivedAt.has(id)), 60_000);
    return [...sent].map(([id, at]) => receivedAt.get(id)! - at);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}
