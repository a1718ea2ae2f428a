import type { Consumer, ConsumerConfig, ConsumerCrashEvent as CrashEvent, Producer } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubPool, openHubPool } from '../../../hub/db/hubDatabase.ts';
import { migrateHubDatabase } from '../../../hub/db/migrations.ts';
import { createHubMetrics } from '../../../hub/metrics/hubMetrics.ts';
import type { HubService } from '../../../hub/services/hubService.ts';
import { createOutboxRelay, type OutboxRelay } from '../../../hub/services/outbox.ts';
import { type RunningService, startServiceRunner } from '../../../hub/services/serviceRunner.ts';
import { type ProxiedKafka, startProxiedKafka } from '../../harness/proxiedKafka.ts';
import { testDatabase } from '../../harness/postgres.ts';
import { waitFor } from '../../harness/waitFor.ts';

/**
 * A hub service over a Kafka broker of its own that is stopped and started
 * again under it (docs/hub.md, "When Kafka restarts"): the group coordinator
 * is gone for a while, which kafkajs does not retry; the service starts a
 * fresh consumer itself and goes on, storing each record once.
 */
describe('a hub service when its Kafka broker restarts', () => {
  let broker: ProxiedKafka;
  let kafka: Kafka;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let pool: HubPool;
  let producer: Producer;
  let outbox: OutboxRelay;
  let running: RunningService | undefined;
  const topic = 'restart-in';

  const service: HubService = {
    name: 'restart-notes',
    topics: [topic],
    idempotency: 'eventId',
    async handle({ tx, record }) {
      await tx.query('INSERT INTO notes (text) VALUES ($1)', [record.value?.toString() ?? '']);
      return 'accepted';
    },
  };
  const notes = async () =>
    (await pool.query<{ text: string }>('SELECT text FROM notes ORDER BY id')).rows.map((row) => row.text);
  const send = async (text: string) => {
    await producer.send({ topic, acks: -1, messages: [{ value: text, headers: { ce_id: text } }] });
  };

  beforeAll(async () => {
    broker = await startProxiedKafka();
    kafka = new Kafka({
      clientId: 'service-restart-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [topic, 'restart-dlq'].map((name) => ({ topic: name, numPartitions: 1, replicationFactor: 1 })),
    });
    await admin.disconnect();
    database = await testDatabase();
    pool = await openHubPool(database.url);
    await migrateHubDatabase(pool);
    await pool.query('CREATE TABLE notes (id bigserial PRIMARY KEY, text text NOT NULL)');
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    outbox = createOutboxRelay({ pool, producer, logger: pino({ level: 'silent' }), intervalMs: 100 });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    await outbox?.stop();
    await producer?.disconnect().catch(() => undefined);
    await pool?.end();
    await database?.drop();
    await broker?.close();
  }, 120_000);

  it('starts consuming again once the broker is back, and stores every record once', async () => {
    running = await startServiceRunner(service, {
      kafka,
      pool,
      producer,
      outbox,
      metrics: createHubMetrics(),
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      groupId: 'restart-notes.group',
      deadLetterTopic: 'restart-dlq',
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      partitionsConsumedConcurrently: 1,
    });
    await send('before');
    await waitFor('the record sent before the restart', async () => (await notes()).includes('before'), {
      timeoutMs: 60_000,
    });

    await broker.stopBroker();
    // The consumer loses its coordinator while the broker is down.
    await waitFor(
      'the service to notice the broker is gone',
      () => running?.health().lastError !== undefined,
      {
        timeoutMs: 60_000,
      },
    );
    await broker.startBroker();
    await send('after');

    await waitFor('the record sent after the restart', async () => (await notes()).includes('after'), {
      timeoutMs: 120_000,
    });
    expect(await notes()).toEqual(['before', 'after']);
    await waitFor('the service to say it runs', () => running?.health().running === true, {
      timeoutMs: 30_000,
    });
  }, 300_000);

  it('starts a fresh consumer when kafkajs gives one up for good (a non-retriable crash)', async () => {
    // kafkajs, on a crash it does not retry (KafkaJSGroupCoordinatorNotFound and the like),
    // disconnects the consumer and emits CRASH with restart: false. The test does the same to
    // the service's consumer, then checks the service goes on without a hub restart.
    const consumers: { consumer: Consumer; crashListener: (event: CrashEvent) => void }[] = [];
    const watchedKafka = new Proxy(kafka, {
      get(target, property, receiver) {
        if (property !== 'consumer') return Reflect.get(target, property, receiver);
        return (config: ConsumerConfig) => {
          const consumer = target.consumer(config);
          const on = consumer.on.bind(consumer);
          consumer.on = ((eventName: string, listener: (event: CrashEvent) => void) => {
            if (eventName === consumer.events.CRASH) consumers.push({ consumer, crashListener: listener });
            return on(eventName as typeof consumer.events.CRASH, listener);
          }) as Consumer['on'];
          return consumer;
        };
      },
    });
    await running?.close();
    running = await startServiceRunner(service, {
      kafka: watchedKafka,
      pool,
      producer,
      outbox,
      metrics: createHubMetrics(),
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      groupId: 'restart-notes.group',
      deadLetterTopic: 'restart-dlq',
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      partitionsConsumedConcurrently: 1,
    });
    expect(consumers).toHaveLength(1);
    const first = consumers[0]!;
    await first.consumer.disconnect();
    const error = new Error('The group coordinator is not available');
    error.name = 'KafkaJSGroupCoordinatorNotFound';
    first.crashListener({
      id: '0',
      type: 'consumer.crash',
      timestamp: Date.now(),
      payload: { error, groupId: 'restart-notes.group', restart: false },
    });
    expect(running.health().running).toBe(false);

    await send('after-crash');
    await waitFor('the record sent after the crash', async () => (await notes()).includes('after-crash'), {
      timeoutMs: 60_000,
    });
    expect(consumers.length).toBeGreaterThanOrEqual(2);
    expect(running.health()).toMatchObject({ running: true, restarts: 1 });
    expect((await notes()).filter((text) => text === 'after-crash')).toHaveLength(1);
  }, 120_000);
});
