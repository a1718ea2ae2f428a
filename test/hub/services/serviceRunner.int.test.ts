import type { Producer } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubPool, openHubPool } from '../../../hub/db/hubDatabase.ts';
import { migrateHubDatabase } from '../../../hub/db/migrations.ts';
import { createHubMetrics } from '../../../hub/metrics/hubMetrics.ts';
import { deadLetterHeaders } from '../../../hub/services/deadLetterRecord.ts';
import type { HubService } from '../../../hub/services/hubService.ts';
import { createOutboxRelay, type OutboxRelay } from '../../../hub/services/outbox.ts';
import { type ServiceRunnerDeps, startServiceRunner } from '../../../hub/services/serviceRunner.ts';
import { testKafka, uniqueTopic } from '../../harness/kafka.ts';
import { testDatabase } from '../../harness/postgres.ts';
import { metricValue } from '../../harness/prometheusText.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { readTopic } from '../../harness/hubUnderTest.ts';

/**
 * The framework every hub service runs on, with a service of its own: it
 * stores each record's text in a table, and fails on demand.
 */
describe('a hub service', () => {
  const kafka = testKafka('service-runner-test');
  const admin = kafka.admin();
  const input = uniqueTopic('runner-in');
  const deadLetterTopic = uniqueTopic('runner-dlq');
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let pool: HubPool;
  let producer: Producer;
  let outbox: OutboxRelay;
  let deadLetters: Awaited<ReturnType<typeof readTopic>>;
  const calls: string[] = [];
  let failures = new Map<string, number>(); // text -> tries left to fail

  const service: HubService = {
    name: 'test-notes',
    topics: [input],
    idempotency: 'eventId',
    async handle({ tx, record }) {
      const text = record.value?.toString() ?? '';
      calls.push(text);
      await tx.query('INSERT INTO notes (text) VALUES ($1)', [text]);
      const left = failures.get(text) ?? 0;
      if (left > 0) {
        failures.set(text, left - 1);
        throw new Error(`${text} failed on purpose`); // after the insert: the transaction must roll back
      }
      return 'accepted';
    },
  };

  const depsFor = (metrics = createHubMetrics()): ServiceRunnerDeps => ({
    kafka,
    pool,
    producer,
    outbox,
    metrics,
    logger: pino({ level: 'silent' }),
    clock: () => new Date(),
    groupId: `${input}.group`,
    deadLetterTopic,
    retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
    partitionsConsumedConcurrently: 1,
  });
  const send = (values: { text: string; id?: string }[]) =>
    producer.send({
      topic: input,
      acks: -1,
      messages: values.map(({ text, id }) => ({ value: text, headers: id ? { ce_id: id } : {} })),
    });
  const notes = async () =>
    (await pool.query<{ text: string }>('SELECT text FROM notes ORDER BY id')).rows.map((row) => row.text);

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [input, deadLetterTopic].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
    });
    database = await testDatabase();
    pool = await openHubPool(database.url);
    await migrateHubDatabase(pool);
    await pool.query('CREATE TABLE notes (id bigserial PRIMARY KEY, text text NOT NULL)');
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    outbox = createOutboxRelay({ pool, producer, logger: pino({ level: 'silent' }), intervalMs: 100 });
    deadLetters = await readTopic(kafka, deadLetterTopic);
  }, 60_000);
  afterAll(async () => {
    await deadLetters?.close();
    await outbox?.stop();
    await producer?.disconnect();
    await pool?.end();
    await database?.drop();
    await admin.deleteTopics({ topics: [input, deadLetterTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('retries a failing record with backoff, rolls back each failed try, and keeps what finally succeeds once', async () => {
    const metrics = createHubMetrics();
    const running = await startServiceRunner(service, depsFor(metrics));
    failures = new Map([['flaky', 2]]);
    await send([{ text: 'first' }, { text: 'flaky' }, { text: 'after-flaky' }]);
    await waitFor('three notes', async () => (await notes()).length === 3, { timeoutMs: 20_000 });
    expect(await notes()).toEqual(['first', 'flaky', 'after-flaky']);
    expect(calls.filter((text) => text === 'flaky')).toHaveLength(3);
    const text = await metrics.registry.metrics();
    expect(metricValue(text, 'nilecare_hub_processing_retries_total', { service: 'test-notes' })).toBe(2);
    expect(metricValue(text, 'events_processed_total', { outcome: 'accepted' })).toBe(3);
    await running.close();
  });

  it('dead-letters a poison record after its last try and goes on with the next one', async () => {
    const metrics = createHubMetrics();
    const running = await startServiceRunner(service, depsFor(metrics));
    failures = new Map([['poison', 1000]]);
    await send([{ text: 'poison' }, { text: 'after-poison' }]);
    const letter = await waitFor(
      'the dead letter',
      () => deadLetters.records.find((record) => record.value === 'poison'),
      { timeoutMs: 20_000 },
    );
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_PROCESSING_FAILED');
    expect(letter.headers[deadLetterHeaders.reason]).toContain(
      'gave up after 3 attempts: poison failed on purpose',
    );
    expect(letter.headers[deadLetterHeaders.originalTopic]).toBe(input);
    await waitFor('the next record', async () => (await notes()).includes('after-poison'), {
      timeoutMs: 20_000,
    });
    expect((await notes()).filter((text) => text === 'poison')).toEqual([]);
    expect(
      metricValue(await metrics.registry.metrics(), 'events_failed_total', {
        reason: 'HUB_ERR_PROCESSING_FAILED',
      }),
    ).toBe(1);
    await running.close();
  });

  it('skips an eventId it has processed before', async () => {
    const running = await startServiceRunner(service, depsFor());
    const id = '01900000-0000-7000-8000-00000000abcd';
    await send([{ text: 'once', id }, { text: 'once-again', id }, { text: 'marker' }]);
    await waitFor('the marker', async () => (await notes()).includes('marker'), { timeoutMs: 20_000 });
    expect((await notes()).filter((text) => text.startsWith('once'))).toEqual(['once']);
    await running.close();
  });

  it('commits a batch in one transaction; a poison record in its middle is dead-lettered alone and its neighbours are kept once', async () => {
    const metrics = createHubMetrics();
    failures = new Map([['batch-poison', 1000]]);
    const before = calls.length;
    // Sent before the runner starts, in one request: its first fetch reads them as one batch.
    await send(['batch-1', 'batch-2', 'batch-poison', 'batch-3', 'batch-4'].map((text) => ({ text })));
    const running = await startServiceRunner(service, depsFor(metrics));
    const letter = await waitFor(
      'the dead letter',
      () => deadLetters.records.find((record) => record.value === 'batch-poison'),
      { timeoutMs: 20_000 },
    );
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_PROCESSING_FAILED');
    expect(letter.headers[deadLetterHeaders.originalTopic]).toBe(input);
    await waitFor('the records after it', async () => (await notes()).includes('batch-4'), {
      timeoutMs: 20_000,
    });
    expect((await notes()).filter((text) => text.startsWith('batch-'))).toEqual([
      'batch-1',
      'batch-2',
      'batch-3',
      'batch-4',
    ]);
    // One try of all five, then the two before it again, the poison alone to its last try, the two after it.
    expect(calls.slice(before)).toEqual([
      'batch-1',
      'batch-2',
      'batch-poison',
      'batch-1',
      'batch-2',
      'batch-poison',
      'batch-poison',
      'batch-3',
      'batch-4',
    ]);
    const text = await metrics.registry.metrics();
    expect(metricValue(text, 'events_processed_total', { outcome: 'accepted' })).toBe(4);
    expect(metricValue(text, 'events_processed_total', { outcome: 'dead_lettered' })).toBe(1);
    await running.close();
  });

  it('resumes after a restart from the last committed offset: nothing processed twice, nothing lost', async () => {
    const before = calls.length;
    const running = await startServiceRunner(service, depsFor());
    await send([{ text: 'after-restart' }]);
    await waitFor('the new record', async () => (await notes()).includes('after-restart'), {
      timeoutMs: 20_000,
    });
    await running.close();
    expect(calls.slice(before)).toEqual(['after-restart']);
  });
});
