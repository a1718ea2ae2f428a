import { CompressionTypes, type IHeaders, type Kafka } from 'kafkajs';
import pino from 'pino';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { downstreamTopic, type TopicName } from '../../kernel/kafka/kafkaTopics.ts';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { type HubOptions, resolveHubOptions } from '../../hub/hubOptions.ts';
import { type HubTopics, hubTopics } from '../../hub/hubTopicNames.ts';
import { headerStrings } from '../../hub/services/deadLetterRecord.ts';
import { toWireRecord } from '../../kernel/kafka/wireFormat.ts';
import { testKafka, testKafkaBrokers, uniqueTopic } from './kafka.ts';
import { testDatabase } from './postgres.ts';

/** A record read back from a topic, headers as strings. */
export interface ReadRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Collects every record of a topic from the beginning, in a consumer group of its own. */
export async function readTopic(kafka: Kafka, topic: string) {
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueTopic('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      records.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: headerStrings(message.headers),
      });
    },
  });
  return { records, close: () => consumer.disconnect() };
}

export type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * A whole hub against the run's real Kafka and PostgreSQL: its own topics
 * (a unique prefix, 3 partitions each), database and consumer groups, so
 * test files running at once never see each other's records.
 */
export async function startTestHub(overrides: Partial<HubOptions> = {}) {
  const prefix = `${uniqueTopic('hub')}.`;
  const kafka = testKafka('hub-test');
  const topics: HubTopics = hubTopics(prefix);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...topics.events, topics.deadLetter, `${prefix}${downstreamTopic}`].map((topic) => ({
      topic,
      numPartitions: 3,
      replicationFactor: 1,
    })),
  });
  const database = await testDatabase();
  const options = resolveHubOptions({
    kafkaBrokers: testKafkaBrokers(),
    databaseUrl: database.url,
    topicPrefix: prefix,
    consumerGroupPrefix: `${prefix}group`,
    httpHost: '127.0.0.1',
    httpPort: 0,
    retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
    gapGraceMs: 60_000,
    gapCheckIntervalMs: 200,
    outboxIntervalMs: 100,
    partitionsConsumedConcurrently: 3,
    logLevel: 'silent',
    // The guard alone unless a test names its services: each service test starts what it needs.
    services: ['ingest-guard'],
    ...overrides,
  });
  const hub: Hub = await startHub(options, {
    clock: () => new Date(),
    newId: uuidV7,
    logger: pino({ level: 'silent' }),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const deadLetters = await readTopic(kafka, topics.deadLetter);
  const compliance = await readTopic(kafka, topics.compliance);

  return {
    hub,
    prefix,
    topics,
    kafka,
    /** The options this hub runs with: start another process of it on the same topics and database. */
    options,
    deadLetters: deadLetters.records,
    compliance: compliance.records,
    /** Sends events as a gateway's sync does (kernel/kafka/wireFormat.ts), on the prefixed topics. */
    async produce(events: readonly ClinicalEvent[], tamper?: (value: string) => string) {
      for (const event of events) {
        const wire = toWireRecord(event);
        await producer.send({
          topic: prefix + wire.topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages: [
            { key: wire.key, value: tamper ? tamper(wire.value) : wire.value, headers: wire.headers },
          ],
        });
      }
    },
    /**
     * Sends the events in one request per topic: each partition's share is
     * one record batch, so the guard reads it as one Kafka batch (docs/hub.md, "Batches").
     */
    async produceTogether(
      events: readonly ClinicalEvent[],
      tamper?: (event: ClinicalEvent, value: string) => string,
    ) {
      const byTopic = new Map<string, { key: string; value: string; headers: IHeaders }[]>();
      for (const event of events) {
        const wire = toWireRecord(event);
        const messages = byTopic.get(prefix + wire.topic) ?? [];
        messages.push({
          key: wire.key,
          value: tamper ? tamper(event, wire.value) : wire.value,
          headers: wire.headers,
        });
        byTopic.set(prefix + wire.topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.GZIP,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
    async produceRaw(
      topic: TopicName,
      message: { key?: string; value: string | Buffer | null; headers?: IHeaders },
    ) {
      await producer.send({ topic: prefix + topic, acks: -1, messages: [message] });
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
      return (await hub.pool.query<T>(sql, params)).rows;
    },
    /** Status of each stored event of a gateway, by seq. */
    async statuses(gatewayId: string) {
      return (
        await hub.pool.query<{ seq: string; status: string; chain: string; reason_code: string | null }>(
          'SELECT seq, status, chain, reason_code FROM gateway_events WHERE gateway_id = $1 ORDER BY seq',
          [gatewayId],
        )
      ).rows.map((row) => ({
        seq: Number(row.seq),
        status: row.status,
        chain: row.chain,
        reason: row.reason_code,
      }));
    },
    async scrape(): Promise<string> {
      const response = await fetch(`http://127.0.0.1:${hub.httpPort}/metrics`);
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      return response.text();
    },
    async close() {
      await producer.disconnect();
      await deadLetters.close();
      await compliance.close();
      await hub.close();
      await admin
        .deleteTopics({ topics: [...topics.events, topics.deadLetter, `${prefix}${downstreamTopic}`] })
        .catch(() => undefined);
      await admin.disconnect();
      await database.drop();
    },
  };
}

/** The compliance_violation_detected events read back, as objects. */
export function violations(records: readonly ReadRecord[]) {
  return records.map(
    (record) =>
      JSON.parse(record.value ?? '{}') as {
        eventType: string;
        source: string;
        data: { violationType: string; offendingEventId?: string; gatewayId?: string; severity: string };
      },
  );
}
