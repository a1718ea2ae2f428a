import { GENESIS_HASH } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { HubTx } from '../db/hubDatabase.ts';
import { headerStrings } from '../services/deadLetterRecord.ts';
import type { SourceRecord } from '../services/hubService.ts';
import type { ChainHead } from './ingestStore.ts';

/**
 * Creates the batch's gateways' chain rows on first sight and locks them, in
 * gateway order (two hubs locking overlapping sets never deadlock): once per
 * batch, as lockChain (ingestStore.ts) does once per record.
 */
export async function lockChains(tx: HubTx, gatewayIds: readonly string[], now: Date) {
  const heads = new Map<string, ChainHead>();
  if (gatewayIds.length === 0) return heads;
  const ids = [...new Set(gatewayIds)].sort();
  await tx.query(
    `INSERT INTO gateway_chains (gateway_id, head_hash, first_received_at, last_received_at)
     SELECT id, $2, $3, $3 FROM unnest($1::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [ids, GENESIS_HASH, now],
  );
  const { rows } = await tx.query<{ gateway_id: string; head_seq: string; head_hash: string }>(
    `SELECT gateway_id, head_seq, head_hash FROM gateway_chains WHERE gateway_id = ANY($1::text[])
     ORDER BY gateway_id FOR UPDATE`,
    [ids],
  );
  for (const row of rows)
    heads.set(row.gateway_id, { headSeq: Number(row.head_seq), headHash: row.head_hash });
  return heads;
}

/** The eventIds among `eventIds` that are stored or were refused before (lower case). */
export async function seenEventIds(tx: HubTx, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await tx.query<{ event_id: string }>(
    `SELECT event_id FROM gateway_events WHERE event_id = ANY($1::uuid[])
     UNION SELECT event_id FROM ingest_rejections WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return new Set(rows.map((row) => row.event_id.toLowerCase()));
}

/** `${gatewayId} ${seq}` of the positions among `events` already stored. */
export async function occupiedPositions(tx: HubTx, events: readonly ClinicalEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const { rows } = await tx.query<{ gateway_id: string; seq: string }>(
    `SELECT e.gateway_id, e.seq FROM gateway_events e
     JOIN unnest($1::text[], $2::bigint[]) AS p (gateway_id, seq) ON e.gateway_id = p.gateway_id AND e.seq = p.seq`,
    [events.map((event) => event.gatewayId), events.map((event) => event.seq)],
  );
  return new Set(rows.map((row) => `${row.gateway_id} ${row.seq}`));
}

export interface ArrivingEvent {
  event: ClinicalEvent;
  digest: string;
  record: SourceRecord;
  clockOffsetMs: number | undefined;
}

/**
 * Stores events in one statement as insertEvent (ingestStore.ts) stores one
 * that passed its checks: chain `awaiting`, status `pending`, until its chain
 * is settled.
 */
export async function insertArrivingEvents(tx: HubTx, events: readonly ArrivingEvent[], now: Date) {
  if (events.length === 0) return;
  const column = <T>(pick: (arriving: ArrivingEvent) => T) => events.map(pick);
  await tx.query(
    `INSERT INTO gateway_events (gateway_id, seq, event_id, event_type, source, hash, value_digest, value,
       record_key, record_headers, topic, kafka_partition, kafka_offset, recorded_at, received_at,
       clock_offset_ms, clock_went_backwards, content_ok, chain, status)
     SELECT gateway_id, seq, event_id, event_type, source, hash, value_digest, value, record_key, record_headers,
       topic, kafka_partition, kafka_offset, recorded_at, $16, clock_offset_ms, false, true, 'awaiting', 'pending'
     FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[],
       $9::text[], $10::jsonb[], $11::text[], $12::int[], $13::bigint[], $14::timestamptz[], $15::bigint[])
       AS r (gateway_id, seq, event_id, event_type, source, hash, value_digest, value, record_key, record_headers,
         topic, kafka_partition, kafka_offset, recorded_at, clock_offset_ms)`,
    [
      column((a) => a.event.gatewayId),
      column((a) => a.event.seq),
      column((a) => a.event.eventId),
      column((a) => String(a.event.eventType).slice(0, 64)),
      column((a) => String(a.event.source).slice(0, 64)),
      column((a) => a.event.hash),
      column((a) => a.digest),
      column((a) => a.record.value),
      column((a) => a.record.key?.toString('utf8') ?? null),
      column((a) => JSON.stringify(headerStrings(a.record.headers))),
      column((a) => a.record.topic),
      column((a) => a.record.partition),
      column((a) => a.record.offset),
      column((a) => (Number.isFinite(Date.parse(a.event.recordedAt)) ? a.event.recordedAt : null)),
      column((a) => a.clockOffsetMs ?? null),
      now,
    ],
  );
}

/** Keeps each gateway's clock figures for its arrived events, as recordClock does per record. */
export async function recordClocks(
  tx: HubTx,
  clocks: readonly { gatewayId: string; offsetsMs: (number | undefined)[] }[],
  now: Date,
) {
  if (clocks.length === 0) return;
  const defined = clocks.map(({ offsetsMs }) => offsetsMs.filter((o): o is number => o !== undefined));
  await tx.query(
    `UPDATE gateway_chains c SET last_received_at = $1,
       clock_offset_ms = coalesce(u.last_offset, c.clock_offset_ms),
       clock_offset_min_ms = LEAST(c.clock_offset_min_ms, u.min_offset),
       clock_offset_max_ms = GREATEST(c.clock_offset_max_ms, u.max_offset)
     FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS u (gateway_id, last_offset, min_offset, max_offset)
     WHERE c.gateway_id = u.gateway_id`,
    [
      now,
      clocks.map((clock) => clock.gatewayId),
      defined.map((offsets) => offsets.at(-1) ?? null),
      defined.map((offsets) => (offsets.length > 0 ? Math.min(...offsets) : null)),
      defined.map((offsets) => (offsets.length > 0 ? Math.max(...offsets) : null)),
    ],
  );
}
