import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubPool, openHubPool } from '../../../hub/db/hubDatabase.ts';
import { migrateHubDatabase } from '../../../hub/db/migrations.ts';
import { createHubProducer, type HubProducer } from '../../../hub/services/hubProducer.ts';
import { createOutboxRelay, enqueueOutgoing } from '../../../hub/services/outbox.ts';
import { testKafka, uniqueTopic } from '../../harness/kafka.ts';
import { testDatabase } from '../../harness/postgres.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { readTopic } from '../../harness/hubUnderTest.ts';

/**
 * The hub's producer is replaced after a failed send (kafkajs keeps a stale
 * idempotence sequence after a failure): real Kafka, real PostgreSQL. A send
 * fails here the way it does in production when a topic is missing.
 */
describe('the hub producer', () => {
  const kafka = testKafka('hub-producer-test');
  const admin = kafka.admin();
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let pool: HubPool;
  let created = 0;
  let producer: HubProducer;
  const fails = {
    retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
    allowAutoTopicCreation: false,
  };

  beforeAll(async () => {
    await admin.connect();
    database = await testDatabase();
    pool = await openHubPool(database.url);
    await migrateHubDatabase(pool);
    producer = createHubProducer(kafka, (client: Kafka) => {
      created += 1;
      return client.producer({ idempotent: true, maxInFlightRequests: 1, ...fails });
    });
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer?.disconnect();
    await pool?.end();
    await database?.drop();
    await admin.disconnect();
  });

  const createTopic = (topic: string) =>
    admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });

  it('keeps one producer while sends succeed, and opens a fresh one after a send fails', async () => {
    const topic = uniqueTopic('hub-producer');
    await createTopic(topic);
    const before = created;
    await producer.send({ topic, acks: -1, messages: [{ value: 'one' }] });
    await producer.send({ topic, acks: -1, messages: [{ value: 'two' }] });
    expect(created).toBe(before);

    await expect(
      producer.send({ topic: uniqueTopic('hub-producer-missing'), acks: -1, messages: [{ value: 'lost?' }] }),
    ).rejects.toThrow();
    await producer.send({ topic, acks: -1, messages: [{ value: 'three' }] });
    expect(created).toBe(before + 1);

    const reader = await readTopic(kafka, topic);
    await waitFor('three records', () => reader.records.length === 3, { timeoutMs: 20_000 });
    expect(reader.records.map((record) => record.value)).toEqual(['one', 'two', 'three']);
    await reader.close();
  });

  it('lets the outbox send, with a fresh producer, what a failed flush left', async () => {
    const topic = uniqueTopic('hub-outbox');
    const outbox = createOutboxRelay({
      pool,
      producer,
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
    });
    const client = await pool.connect();
    try {
      await enqueueOutgoing(client, 'test', [{ topic, key: 'k', value: 'kept', headers: { ce_id: 'x-1' } }]);
    } finally {
      client.release();
    }
    const before = created;
    await expect(outbox.flush()).rejects.toThrow();
    expect(await outbox.pending()).toBe(1);

    await createTopic(topic);
    expect(await outbox.flush()).toBe(1);
    expect(created).toBe(before + 1);
    expect(await outbox.pending()).toBe(0);
    const reader = await readTopic(kafka, topic);
    await waitFor('the outbox record', () => reader.records.length === 1, { timeoutMs: 20_000 });
    expect(reader.records[0]).toMatchObject({ key: 'k', value: 'kept', headers: { ce_id: 'x-1' } });
    await reader.close();
  });
});
