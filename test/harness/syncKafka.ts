import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { deadLetterTopic, topicNames } from '../../kernel/kafka/kafkaTopics.ts';
import { testKafkaBrokers } from './kafka.ts';
import { waitFor } from './waitFor.ts';

/** The eleven topic names a gateway syncs to under `prefix` (the platform design's ten and the dead-letter topic). */
export function syncTopicNames(prefix: string): string[] {
  return [...topicNames, deadLetterTopic].map((topic) => `${prefix}${topic}`);
}

/** A topic prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.`;
}

function client(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
}

export interface SyncTopicsOptions {
  brokers?: string[];
  /** Partitions per topic (the hub uses 16; fewer keep tests quick, and still spread keys). */
  partitions?: number;
  /** Topic configs for every topic, e.g. message.timestamp.type. */
  configs?: Record<string, string>;
  /** Extra configs for one topic, by its unprefixed name. */
  topicConfigs?: Record<string, Record<string, string>>;
}

/** Creates the eleven topics under `prefix`; returns a function that deletes them. */
export async function createSyncTopics(prefix: string, options: SyncTopicsOptions = {}) {
  const brokers = options.brokers ?? testKafkaBrokers();
  const admin = client(brokers, 'sync-test-admin').admin();
  await admin.connect();
  try {
    // kafkajs' waitForLeaders can fail on metadata not yet in the broker's cache
    // (UNKNOWN_TOPIC_OR_PARTITION outside its retry): create, then wait for the leaders.
    const names = syncTopicNames(prefix);
    await admin.createTopics({
      waitForLeaders: false,
      topics: [...topicNames, deadLetterTopic].map((topic) => ({
        topic: `${prefix}${topic}`,
        numPartitions: options.partitions ?? 3,
        replicationFactor: 1,
        configEntries: Object.entries({ ...options.configs, ...options.topicConfigs?.[topic] }).map(
          ([name, value]) => ({ name, value }),
        ),
      })),
    });
    await waitFor(
      `leaders for the topics under ${prefix}`,
      () =>
        admin
          .fetchTopicMetadata({ topics: names })
          .then((metadata) =>
            metadata.topics.every(
              (topic) =>
                topic.partitions.length === (options.partitions ?? 3) &&
                topic.partitions.every((partition) => partition.leader >= 0),
            ),
          ),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  } finally {
    await admin.disconnect();
  }
  return async () => {
    const cleanup = client(brokers, 'sync-test-admin').admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: syncTopicNames(prefix) }).catch(() => undefined);
    await cleanup.disconnect();
  };
}

/** A record as a consumer sees it (after gzip is undone), with every byte it carries. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Broker time (CreateTime, or LogAppendTime when the topic says so), ms. */
  timestamp: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** Key, value, header names and values, as one buffer to scan for plaintext. */
  raw: Buffer;
}

function flatHeaders(headers: IHeaders | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) flat[name] = first.toString();
  }
  return flat;
}

/** Sum of the high watermarks of the topics: how many records they hold. */
export async function recordCount(topics: string[], brokers = testKafkaBrokers()): Promise<number> {
  const admin = client(brokers, 'sync-test-offsets').admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads every record of `topics` from the beginning with a fresh consumer
 * group until at least `expected` records arrived (the high watermarks say how
 * many there are), then stops.
 */
export async function readAllRecords(
  topics: string[],
  { brokers = testKafkaBrokers(), timeoutMs = 60_000 } = {},
): Promise<ReadRecord[]> {
  const expected = await recordCount(topics, brokers);
  const records: ReadRecord[] = [];
  if (expected === 0) return records;
  const consumer = client(brokers, 'sync-test-reader').consumer({
    groupId: `sync-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const key = message.key?.toString() ?? '';
          const value = message.value ?? Buffer.alloc(0);
          const headers = flatHeaders(message.headers);
          const parts = [
            Buffer.from(key),
            value,
            ...Object.entries(headers).flatMap(([n, v]) => [Buffer.from(n), Buffer.from(v)]),
          ];
          records.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(message.offset),
            timestamp: Number(message.timestamp),
            key,
            value,
            headers,
            raw: Buffer.concat(parts),
          });
        }
      },
    });
    await waitFor(`${expected} records on ${topics.length} topics`, () => records.length >= expected, {
      timeoutMs,
      intervalMs: 50,
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The event (value) of a record of the platform design's topics. */
export function eventOf(record: ReadRecord): {
  eventId: string;
  seq: number;
  eventType: string;
  patientId?: string;
} {
  return JSON.parse(record.value.toString('utf8')) as {
    eventId: string;
    seq: number;
    eventType: string;
    patientId?: string;
  };
}

/**
 * Checks what the hub relies on (docs/architecture.md#guarantee-4): every eventId of the
 * gateway is on Kafka (duplicates allowed), nothing else is, and on each
 * partition the first copy of each event comes in seq order per key and lane.
 * Returns the number of distinct eventIds and of duplicate records.
 */
export function deliveryReport(records: readonly ReadRecord[]) {
  const firstSeen = new Map<string, ReadRecord>();
  let duplicates = 0;
  const ordered = [...records].sort((a, b) =>
    a.topic === b.topic
      ? a.partition === b.partition
        ? a.offset - b.offset
        : a.partition - b.partition
      : a.topic < b.topic
        ? -1
        : 1,
  );
  const outOfOrder: string[] = [];
  const lastSeqByKey = new Map<string, number>();
  for (const record of ordered) {
    const event = eventOf(record);
    if (firstSeen.has(event.eventId)) {
      duplicates += 1;
      continue;
    }
    firstSeen.set(event.eventId, record);
    const stream = `${record.topic}|${record.key}|${record.headers.ce_type === undefined ? '' : laneOfHeaders(record)}`;
    const last = lastSeqByKey.get(stream) ?? 0;
    if (event.seq < last) outOfOrder.push(`${stream}: seq ${event.seq} after ${last}`);
    lastSeqByKey.set(stream, Math.max(last, event.seq));
  }
  return { distinct: firstSeen.size, duplicates, outOfOrder, eventIds: new Set(firstSeen.keys()) };
}

import { specOf } from '../../kernel/events/catalogue.ts';

function laneOfHeaders(record: ReadRecord): string {
  return specOf(record.headers.ce_type ?? '')?.lane ?? 'unknown';
}
