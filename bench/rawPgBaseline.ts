import type { Kafka } from 'kafkajs';
import { uuidV7 } from '../kernel/events/ids.ts';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { openHubPool, withTransaction } from '../hub/db/hubDatabase.ts';
import { migrateHubDatabase } from '../hub/db/migrations.ts';
import { insertArrivingEvents } from '../hub/ingestGuard/batchStore.ts';
import { valueDigest } from '../hub/ingestGuard/recordChecks.ts';

const batchRecords = 500; // records per transaction, as the hub's runner cuts a Kafka batch

/**
 * The ingest guard's second baseline: a plain kafkajs consumer that stores
 * the same rows the guard stores (gateway_events, the same multi-row insert,
 * in a database migrated as the hub's) in the same batch size, one
 * transaction per batch, offsets not committed, and checks nothing: what
 * PostgreSQL and Kafka alone allow on this machine.
 */
export async function rawPgLoop(kafka: Kafka, topics: string[], records: number, databaseUrl: string) {
  const pool = await openHubPool(databaseUrl);
  await migrateHubDatabase(pool);
  const consumer = kafka.consumer({ groupId: `bench-raw-pg-${uuidV7()}`, maxWaitTimeInMs: 100 });
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
      for (let start = 0; start < batch.messages.length; start += batchRecords) {
        const rows = batch.messages.slice(start, start + batchRecords).map((message) => ({
          event: JSON.parse(message.value?.toString('utf8') ?? '{}') as ClinicalEvent,
          digest: valueDigest(message.value),
          record: {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
          },
          clockOffsetMs: undefined,
        }));
        await withTransaction(pool, (tx) => insertArrivingEvents(tx, rows, new Date()));
        seen += rows.length;
      }
      lastAt = performance.now();
      if (seen >= records) resolveDone();
    },
  });
  await done;
  await consumer.disconnect();
  await pool.end();
  const seconds = (lastAt - (firstAt ?? lastAt)) / 1000;
  return { records, seconds, eventsPerSecond: records / Math.max(seconds, 0.001) };
}
