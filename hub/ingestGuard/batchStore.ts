import { GENESIS_HASH } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { HubTx } from '../db/hubDatabase.ts';
import { headerStrings } from '../services/deadLetterRecord.ts';
import type { SourceRecord } from '../services/hubService.ts';
import type { ChainTip } from './linkedRun.ts';

/**
 * Creates the batch's gateways' chain rows on first sight and locks them, in
 * gateway order (two hubs locking overlapping sets never deadlock): once per
 * batch, as lockChain (ingestStore.ts) does once per record.
 */
export async function lockChains(tx: HubTx, gatewayIds: readonly string[], now: Date) {
  const tips = new Map<string, ChainTip>();
  if (gatewayIds.length === 0) return tips;
  const ids = [...new Set(gatewayIds)].sort();
  await tx.query(
    `INSERT INTO gateway_chains (gateway_id, head_hash, first_received_at, last_received_at)
     SELECT id, $2, $3, $3 FROM unnest($1::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [ids, GENESIS_HASH, now],
  );
  const { rows } = await tx.query<{
    gateway_id: string;
    head_seq: string;
    head_hash: string;
    head_recorded_at: Date | null;
    clear: boolean;
  }>(
    `SELECT c.gateway_id, c.head_seq, c.head_hash,
       (SELECT e.recorded_at FROM gateway_events e WHERE e.gateway_id = c.gateway_id AND e.seq = c.head_seq)
         AS head_recorded_at,
       NOT EXISTS (SELECT 1 FROM gateway_events e WHERE e.gateway_id = c.gateway_id AND e.seq > c.head_seq)
         AND NOT EXISTS (SELECT 1 FROM gateway_dead_letters d WHERE d.gateway_id = c.gateway_id AND d.seq > c.head_seq)
         AS clear
     FROM gateway_chains c WHERE c.gateway_id = ANY($1::text[]) ORDER BY c.gateway_id FOR UPDATE OF c`,
    [ids],
  );
  for (const row of rows)
    tips.set(row.gateway_id, {
      headSeq: Number(row.head_seq),
      headHash: row.head_hash,
      headRecordedAt: row.head_recorded_at?.toISOString() ?? null,
      clear: row.clear,
    });
  return tips;
}

/** The eventIds among `eventIds` that are stored or were refused before. */
export async function seenEventIds(tx: HubTx, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await tx.query<{ event_id: string }>(
    `SELECT event_id FROM gateway_events WHERE event_id = ANY($1::uuid[])
     UNION SELECT event_id FROM ingest_rejections WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return new Set(rows.map((row) => row.event_id.toLowerCase()));
}

export interface LinkedEvent {
  event: ClinicalEvent;
  digest: string;
  record: SourceRecord;
  clockOffsetMs: number | undefined;
}

/**
 * Stores events the batch linked and accepted (linkedRun.ts) in one
 * statement, as the record path leaves them once settled: chain `linked`,
 * status `accepted`, settled at their receive time.
 */
export async function insertLinkedEvents(tx: HubTx, events: readonly LinkedEvent[], now: Date) {
  if (events.length === 0) return;
  const column = <T>(pick: (linked: LinkedEvent) => T) => events.map(pick);
  await tx.query(
    `INSERT INTO gateway_events (gateway_id, seq, event_id, event_type, source, hash, value_digest, value,
       record_key, record_headers, topic, kafka_partition, kafka_offset, recorded_at, received_at,
       clock_offset_ms, clock_went_backwards, content_ok, chain, status, settled_at)
     SELECT gateway_id, seq, event_id, event_type, source, hash, value_digest, value, record_key, record_headers,
       topic, kafka_partition, kafka_offset, recorded_at, $16, clock_offset_ms, false, true, 'linked', 'accepted', $16
     FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[],
       $9::text[], $10::jsonb[], $11::text[], $12::int[], $13::bigint[], $14::timestamptz[], $15::bigint[])
       AS r (gateway_id, seq, event_id, event_type, source, hash, value_digest, value, record_key, record_headers,
         topic, kafka_partition, kafka_offset, recorded_at, clock_offset_ms)`,
    [
      column((l) => l.event.gatewayId),
      column((l) => l.event.seq),
      column((l) => l.event.eventId),
      column((l) => String(l.event.eventType).slice(0, 64)),
      column((l) => String(l.event.source).slice(0, 64)),
      column((l) => l.event.hash),
      column((l) => l.digest),
      column((l) => l.record.value),
      column((l) => l.record.key?.toString('utf8') ?? null),
      column((l) => JSON.stringify(headerStrings(l.record.headers))),
      column((l) => l.record.topic),
      column((l) => l.record.partition),
      column((l) => l.record.offset),
      column((l) => (Number.isFinite(Date.parse(l.event.recordedAt)) ? l.event.recordedAt : null)),
      column((l) => l.clockOffsetMs ?? null),
      now,
    ],
  );
}

export interface ChainAdvance {
  gatewayId: string;
  headSeq: number;
  headHash: string;
  /** Clock offsets of the run's events in order (undefined: recordedAt unreadable). */
  offsetsMs: (number | undefined)[];
}

/** Moves each gateway's head over its run and keeps its clock figures, as recordClock does per record. */
export async function advanceChains(tx: HubTx, advances: readonly ChainAdvance[], now: Date) {
  if (advances.length === 0) return;
  const defined = (offsets: (number | undefined)[]) => offsets.filter((o): o is number => o !== undefined);
  await tx.query(
    `UPDATE gateway_chains c SET head_seq = u.head_seq, head_hash = u.head_hash, last_received_at = $1,
       clock_offset_ms = coalesce(u.last_offset, c.clock_offset_ms),
       clock_offset_min_ms = LEAST(c.clock_offset_min_ms, u.min_offset),
       clock_offset_max_ms = GREATEST(c.clock_offset_max_ms, u.max_offset)
     FROM unnest($2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
       AS u (gateway_id, head_seq, head_hash, last_offset, min_offset, max_offset)
     WHERE c.gateway_id = u.gateway_id`,
    [
      now,
      advances.map((a) => a.gatewayId),
      advances.map((a) => a.headSeq),
      advances.map((a) => a.headHash),
      advances.map((a) => defined(a.offsetsMs).at(-1) ?? null),
      advances.map((a) => (defined(a.offsetsMs).length > 0 ? Math.min(...defined(a.offsetsMs)) : null)),
      advances.map((a) => (defined(a.offsetsMs).length > 0 ? Math.max(...defined(a.offsetsMs)) : null)),
    ],
  );
}
