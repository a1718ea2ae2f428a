import { GENESIS_HASH } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { HubPool, HubTx } from '../db/hubDatabase.ts';
import type { RejectionReason, SourceRecord } from '../services/hubService.ts';
import { headerStrings } from '../services/deadLetterRecord.ts';

/** The settled part of a gateway's chain: every seq up to headSeq has its verdict. */
export interface ChainHead {
  headSeq: number;
  headHash: string;
}

export type ChainColumn = 'awaiting' | 'linked' | 'broken' | 'after_gap' | 'late';
export type StatusColumn = 'pending' | 'accepted' | 'rejected';

/** One stored gateway event (table gateway_events). */
export interface StoredEvent {
  gatewayId: string;
  seq: number;
  eventId: string;
  hash: string;
  valueDigest: string;
  recordedAt: string | null;
  contentOk: boolean;
  chain: ChainColumn;
  status: StatusColumn;
  clockWentBackwards: boolean;
  record: SourceRecord;
}

interface EventRow {
  gateway_id: string;
  seq: string;
  event_id: string;
  hash: string;
  value_digest: string;
  value: Buffer;
  record_key: string | null;
  record_headers: Record<string, string>;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  recorded_at: Date | null;
  content_ok: boolean;
  chain: ChainColumn;
  status: StatusColumn;
  clock_went_backwards: boolean;
}

function toStored(row: EventRow): StoredEvent {
  return {
    gatewayId: row.gateway_id,
    seq: Number(row.seq),
    eventId: row.event_id,
    hash: row.hash,
    valueDigest: row.value_digest,
    recordedAt: row.recorded_at?.toISOString() ?? null,
    contentOk: row.content_ok,
    chain: row.chain,
    status: row.status,
    clockWentBackwards: row.clock_went_backwards,
    record: {
      topic: row.topic,
      partition: row.kafka_partition,
      offset: row.kafka_offset,
      key: row.record_key === null ? null : Buffer.from(row.record_key, 'utf8'),
      value: row.value,
      headers: row.record_headers,
    },
  };
}

/** The event as the gateway sent it (for the chain check: its canonical body is rebuilt from it). */
export function storedEventBody(stored: StoredEvent): ClinicalEvent {
  return JSON.parse(stored.record.value!.toString('utf8')) as ClinicalEvent;
}

const eventColumns = `gateway_id, seq, event_id, hash, value_digest, value, record_key, record_headers, topic,
  kafka_partition, kafka_offset, recorded_at, content_ok, chain, status, clock_went_backwards`;

/** Creates the gateway's chain row on first sight and locks it: one transaction per gateway at a time. */
export async function lockChain(tx: HubTx, gatewayId: string, now: Date): Promise<ChainHead> {
  await tx.query(
    `INSERT INTO gateway_chains (gateway_id, head_hash, first_received_at, last_received_at)
     VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING`,
    [gatewayId, GENESIS_HASH, now],
  );
  const { rows } = await tx.query<{ head_seq: string; head_hash: string }>(
    'SELECT head_seq, head_hash FROM gateway_chains WHERE gateway_id = $1 FOR UPDATE',
    [gatewayId],
  );
  const row = rows[0]!;
  return { headSeq: Number(row.head_seq), headHash: row.head_hash };
}

export async function setHead(tx: HubTx, gatewayId: string, head: ChainHead): Promise<void> {
  await tx.query('UPDATE gateway_chains SET head_seq = $2, head_hash = $3 WHERE gateway_id = $1', [
    gatewayId,
    head.headSeq,
    head.headHash,
  ]);
}

export async function eventById(tx: HubTx, eventId: string): Promise<StoredEvent | undefined> {
  const { rows } = await tx.query<EventRow>(
    `SELECT ${eventColumns} FROM gateway_events WHERE event_id = $1`,
    [eventId],
  );
  return rows[0] && toStored(rows[0]);
}

export async function eventAt(tx: HubTx, gatewayId: string, seq: number): Promise<StoredEvent | undefined> {
  const { rows } = await tx.query<EventRow>(
    `SELECT ${eventColumns} FROM gateway_events WHERE gateway_id = $1 AND seq = $2`,
    [gatewayId, seq],
  );
  return rows[0] && toStored(rows[0]);
}

/** The gateway's stored events from `fromSeq` up, in seq order, at most `limit`. */
export async function eventsFrom(
  tx: HubTx,
  gatewayId: string,
  fromSeq: number,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await tx.query<EventRow>(
    `SELECT ${eventColumns} FROM gateway_events WHERE gateway_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
    [gatewayId, fromSeq, limit],
  );
  return rows.map(toStored);
}

export interface NewEvent {
  event: ClinicalEvent;
  digest: string;
  record: SourceRecord;
  receivedAt: Date;
  clockOffsetMs: number | undefined;
  clockWentBackwards: boolean;
  contentOk: boolean;
  chain: 'awaiting' | 'late';
  rejection: RejectionReason | undefined;
}

/** Many settlements of one gateway in one statement, as settleEvent writes each. */
export async function settleEvents(
  tx: HubTx,
  gatewayId: string,
  settled: readonly (Settlement & { seq: number })[],
): Promise<void> {
  if (settled.length === 0) return;
  await tx.query(
    `UPDATE gateway_events e SET chain = s.chain, status = s.status, reason_code = coalesce(s.reason_code, e.reason_code),
       reason = coalesce(s.reason, e.reason), clock_went_backwards = s.backwards, settled_at = coalesce(e.settled_at, s.at)
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::timestamptz[])
       AS s (seq, chain, status, reason_code, reason, backwards, at)
     WHERE e.gateway_id = $1 AND e.seq = s.seq`,
    [
      gatewayId,
      settled.map((one) => one.seq),
      settled.map((one) => one.chain),
      settled.map((one) => one.status),
      settled.map((one) => one.rejection?.code ?? null),
      settled.map((one) => one.rejection?.message ?? null),
      settled.map((one) => one.clockWentBackwards),
      settled.map((one) => one.at),
    ],
  );
}

export async function insertEvent(tx: HubTx, input: NewEvent): Promise<void> {
  const { event, record, rejection } = input;
  await tx.query(
    `INSERT INTO gateway_events (gateway_id, seq, event_id, event_type, source, hash, value_digest, value,
       record_key, record_headers, topic, kafka_partition, kafka_offset, recorded_at, received_at,
       clock_offset_ms, clock_went_backwards, content_ok, chain, status, reason_code, reason, settled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
    [
      event.gatewayId,
      event.seq,
      event.eventId,
      String(event.eventType).slice(0, 64),
      String(event.source).slice(0, 64),
      event.hash,
      input.digest,
      record.value,
      record.key?.toString('utf8') ?? null,
      JSON.stringify(headerStrings(record.headers)),
      record.topic,
      record.partition,
      record.offset,
      Number.isFinite(Date.parse(event.recordedAt)) ? event.recordedAt : null,
      input.receivedAt,
      input.clockOffsetMs ?? null,
      input.clockWentBackwards,
      input.contentOk,
      input.chain,
      rejection ? 'rejected' : 'pending',
      rejection?.code ?? null,
      rejection?.message ?? null,
      rejection ? input.receivedAt : null,
    ],
  );
}

export interface Settlement {
  chain: ChainColumn;
  status: StatusColumn;
  rejection?: RejectionReason;
  clockWentBackwards: boolean;
  at: Date;
}

export async function settleEvent(tx: HubTx, gatewayId: string, seq: number, settled: Settlement) {
  await tx.query(
    `UPDATE gateway_events SET chain = $3, status = $4, reason_code = coalesce($5, reason_code),
       reason = coalesce($6, reason), clock_went_backwards = $7, settled_at = coalesce(settled_at, $8)
     WHERE gateway_id = $1 AND seq = $2`,
    [
      gatewayId,
      seq,
      settled.chain,
      settled.status,
      settled.rejection?.code ?? null,
      settled.rejection?.message ?? null,
      settled.clockWentBackwards,
      settled.at,
    ],
  );
}

/** Records one refusal; false when this record was already refused for this reason (a replay). */
export async function recordRejection(
  tx: HubTx,
  input: {
    record: SourceRecord;
    reason: RejectionReason;
    digest: string;
    eventId?: string;
    gatewayId?: string;
    seq?: number;
    at: Date;
  },
): Promise<boolean> {
  const { record, reason } = input;
  const result = await tx.query(
    `INSERT INTO ingest_rejections (topic, kafka_partition, kafka_offset, event_id, gateway_id, seq, value_digest,
       reason_code, reason, rejected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [
      record.topic,
      record.partition,
      record.offset,
      input.eventId ?? null,
      input.gatewayId ?? null,
      input.seq ?? null,
      input.digest,
      reason.code,
      reason.message,
      input.at,
    ],
  );
  return result.rowCount === 1;
}

/** Whether this very event (same id, same bytes) was refused before: a re-sent copy. */
export async function refusedBefore(tx: HubTx, eventId: string, digest: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'SELECT 1 FROM ingest_rejections WHERE event_id = $1 AND value_digest = $2 LIMIT 1',
    [eventId, digest],
  );
  return (rowCount ?? 0) > 0;
}

/** Keeps the gateway's clock figures: latest, smallest and largest offset, resets. */
export async function recordClock(
  tx: HubTx,
  gatewayId: string,
  input: { receivedAt: Date; offsetMs: number | undefined; resets: number },
): Promise<void> {
  await tx.query(
    `UPDATE gateway_chains SET last_received_at = $2, clock_offset_ms = coalesce($3, clock_offset_ms),
       clock_offset_min_ms = LEAST(clock_offset_min_ms, $3), clock_offset_max_ms = GREATEST(clock_offset_max_ms, $3),
       clock_resets = clock_resets + $4
     WHERE gateway_id = $1`,
    [gatewayId, input.receivedAt, input.offsetMs ?? null, input.resets],
  );
}

/** The first stored seq above the head, and since when events above the head have waited. */
export async function waitingAbove(
  tx: HubTx,
  gatewayId: string,
  headSeq: number,
): Promise<{ nextSeq: number; oldestReceivedAt: Date } | undefined> {
  const { rows } = await tx.query<{ next_seq: string | null; oldest: Date | null }>(
    `SELECT min(seq) AS next_seq, min(received_at) AS oldest FROM gateway_events
     WHERE gateway_id = $1 AND seq > $2`,
    [gatewayId, headSeq],
  );
  const row = rows[0];
  if (!row?.next_seq || !row.oldest) return undefined;
  return { nextSeq: Number(row.next_seq), oldestReceivedAt: row.oldest };
}

/** Gateways with an event that has waited for its predecessor since before `since`. */
export async function gatewaysWaitingSince(pool: HubPool, since: Date): Promise<string[]> {
  const { rows } = await pool.query<{ gateway_id: string }>(
    `SELECT DISTINCT gateway_id FROM gateway_events WHERE chain = 'awaiting' AND received_at <= $1`,
    [since],
  );
  return rows.map((row) => row.gateway_id);
}

export async function recordGap(
  tx: HubTx,
  gatewayId: string,
  gap: { fromSeq: number; toSeq: number },
  at: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO sequence_gaps (gateway_id, from_seq, to_seq, detected_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [gatewayId, gap.fromSeq, gap.toSeq, at],
  );
}

/** Marks a reported gap filled once every seq in it has arrived late. */
export async function fillGapsAround(tx: HubTx, gatewayId: string, seq: number, at: Date): Promise<void> {
  await tx.query(
    `UPDATE sequence_gaps g SET filled_at = $3
     WHERE g.gateway_id = $1 AND g.filled_at IS NULL AND g.from_seq <= $2 AND g.to_seq >= $2
       AND (SELECT count(*) FROM gateway_events e
            WHERE e.gateway_id = g.gateway_id AND e.seq BETWEEN g.from_seq AND g.to_seq) = g.to_seq - g.from_seq + 1`,
    [gatewayId, seq, at],
  );
}
