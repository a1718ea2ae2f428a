import { CompressionTypes, type Kafka } from 'kafkajs';
import pg from 'pg';
import pino from 'pino';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { uuidV7 } from '../kernel/events/ids.ts';
import { type HubOptions, type HubServiceName, resolveHubOptions } from '../hub/hubOptions.ts';
import { startHub } from '../hub/hubProcess.ts';
import { toWireRecord } from '../kernel/kafka/wireFormat.ts';
import { fakeGateway } from '../test/harness/fakeGateway.ts';
import { clinicalEvents } from '../test/harness/clinicalEvents.ts';

/** A mixed stream of the events the hub services read, from `gateways` signed gateway chains. */
export function mixedEvents(total: number, gateways = 4): ClinicalEvent[] {
  const streams = Array.from({ length: gateways }, (_, g) => {
    const gateway = fakeGateway(`bench-gw-${g}-${uuidV7().slice(-6)}`);
    return { gateway, events: clinicalEvents(gateway) };
  });
  const out: ClinicalEvent[] = [];
  for (let n = 0; out.length < total; n += 1) {
    const { gateway, events } = streams[n % gateways]!;
    const patientId = `p-${Math.floor(n / gateways) % 500}`;
    switch (Math.floor(n / gateways) % 6) {
      case 0:
        out.push(events.registered(patientId, ['penicillin']));
        break;
      case 1:
        out.push(
          events.prescribed(
            patientId,
            `rx-${n}`,
            Math.floor(n / gateways / 6) % 4 === 0 ? 'amoxicillin' : 'warfarin',
            {
              value: 5,
              unit: 'mg',
            },
          ),
        );
        break;
      case 2:
        out.push(gateway.vitals(patientId, 70 + (n % 30)));
        break;
      case 3:
        out.push(events.criticalValue(patientId, `alert-${n}`));
        break;
      case 4:
        out.push(events.labResult(patientId, `res-${n}`));
        break;
      default:
        out.push(events.diagnosis(patientId, 'B50.9'));
    }
  }
  return out;
}

/** Sends the events as a gateway's sync does, in batches, acks=all, gzip. */
export async function produceEvents(kafka: Kafka, prefix: string, events: readonly ClinicalEvent[]) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let start = 0; start < events.length; start += 500) {
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const event of events.slice(start, start + 500)) {
      const wire = toWireRecord(event);
      const list = byTopic.get(prefix + wire.topic) ?? [];
      list.push({ key: wire.key, value: wire.value, headers: wire.headers as Record<string, string> });
      byTopic.set(prefix + wire.topic, list);
    }
    await producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.GZIP,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
  await producer.disconnect();
}

/** A fresh database on the bench's PostgreSQL server. */
export async function benchDatabase(serverUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Runs one hub service alone until its consumer group has finished `records`
 * records; events/s from its first finished record to its last (the group's
 * join time left out, as for the raw loop).
 */
export async function timeService(
  name: HubServiceName,
  records: number,
  base: Partial<HubOptions> & { databaseUrl: string },
) {
  const hub = await startHub(
    resolveHubOptions({ ...base, services: [name], httpHost: '127.0.0.1', httpPort: 0, logLevel: 'silent' }),
    { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
  );
  try {
    const finished = async () => {
      const metric = await hub.metrics.eventsProcessed.get();
      return metric.values
        .filter((value) => value.labels.service === name)
        .reduce((sum, value) => sum + value.value, 0);
    };
    let firstAt: number | undefined;
    for (;;) {
      const done = await finished();
      if (done > 0) firstAt ??= performance.now();
      if (done >= records) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - (firstAt ?? performance.now())) / 1000;
    return { records, seconds, eventsPerSecond: records / Math.max(seconds, 0.001) };
  } finally {
    await hub.close();
  }
}

/** The baseline: a plain kafkajs consumer reading the same topics, parsing each value, nothing else. */
export async function rawConsumerLoop(kafka: Kafka, topics: string[], records: number) {
  const consumer = kafka.consumer({ groupId: `bench-raw-${uuidV7()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let seen = 0;
  let firstAt: number | undefined;
  let lastAt = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      firstAt ??= performance.now();
      for (const message of batch.messages) JSON.parse(message.value?.toString('utf8') ?? 'null');
      seen += batch.messages.length;
      lastAt = performance.now();
      if (seen >= records) resolveDone();
    },
  });
  await done;
  await consumer.disconnect();
  const seconds = (lastAt - (firstAt ?? lastAt)) / 1000;
  return { records, seconds, eventsPerSecond: records / Math.max(seconds, 0.001) };
}
