import type { TopicMessages } from 'kafkajs';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { toWireRecord, toWireRecordFromStored, type WireRecord } from '../kernel/kafka/wireFormat.ts';

/** An event on its way to Kafka: its record, and what the engine needs to account for it. */
export interface OutgoingRecord extends WireRecord {
  seq: number;
  eventId: string;
  eventType: string;
  /** Key, value and header bytes before compression: what the bandwidth budget counts. */
  bytes: number;
  event: ClinicalEvent;
}

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Bytes of a record before compression. gzip only makes what crosses the link
 * smaller. Header names and values are ASCII (the catalogue's patterns for
 * ids, types, times and versions), so their length is their size.
 */
export function recordBytes(record: WireRecord): number {
  let bytes = Buffer.byteLength(record.key) + Buffer.byteLength(record.value);
  for (const name in record.headers) {
    const value = record.headers[name];
    bytes += name.length + (typeof value === 'string' || Buffer.isBuffer(value) ? value.length : 0);
  }
  return bytes;
}

/**
 * The record of an event, on the topic named with the configured prefix;
 * with the body the log stored, its bytes are reused (toWireRecordFromStored).
 */
export function outgoing(event: ClinicalEvent, topicPrefix: string, storedBody?: string): OutgoingRecord {
  const wire = storedBody === undefined ? toWireRecord(event) : toWireRecordFromStored(event, storedBody);
  return {
    topic: `${topicPrefix}${wire.topic}`,
    key: wire.key,
    value: wire.value,
    headers: wire.headers,
    seq: event.seq,
    eventId: event.eventId,
    eventType: event.eventType,
    bytes: recordBytes(wire),
    event,
  };
}

/**
 * The longest prefix of `records` (in seq order) within the limits; the
 * first record always, so one record over the byte limit still goes out
 * (alone) and Kafka decides.
 */
export function takeBatch(records: readonly OutgoingRecord[], limits: BatchLimits): OutgoingRecord[] {
  const batch: OutgoingRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (batch.length >= limits.maxEvents) break;
    if (batch.length > 0 && bytes + record.bytes > limits.maxBytes) break;
    batch.push(record);
    bytes += record.bytes;
  }
  return batch;
}

/**
 * One kafkajs sendBatch argument per topic, each topic's records in seq
 * order: with one request in flight (maxInFlightRequests 1) Kafka appends a
 * partition's records in this order, which is what keeps one patient's
 * events in order on a topic.
 */
export function topicMessages(records: readonly OutgoingRecord[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const record of records) {
    let entry = byTopic.get(record.topic);
    if (!entry) {
      entry = { topic: record.topic, messages: [] };
      byTopic.set(record.topic, entry);
    }
    entry.messages.push({ key: record.key, value: record.value, headers: record.headers });
  }
  return [...byTopic.values()];
}

export function bytesOf(records: readonly OutgoingRecord[]): number {
  return records.reduce((sum, record) => sum + record.bytes, 0);
}
