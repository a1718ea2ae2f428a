import type { EventDraft } from '../../../kernel/events/envelope.ts';
import type { HubTx } from '../../db/hubDatabase.ts';
import { windowStart } from './tumblingWindow.ts';

/** An event to count, where it came from, and its place in the batch. */
export interface EventToCount {
  index: number;
  event: EventDraft & { gatewayId?: string; seq?: number };
  topic: string;
}

/**
 * Counts a batch's events in two statements (docs/hub.md, "Batches"): each is
 * stored once in analytics_events (keyed by eventId), and only those stored
 * now add to their 5-minute windows, as countEvent does for one. Returns the
 * batch indices that were counted (an event counted before, or twice in the
 * batch after its first copy, is not).
 */
export async function countEvents(tx: HubTx, events: readonly EventToCount[]): Promise<Set<number>> {
  const counted = new Set<number>();
  if (events.length === 0) return counted;
  const column = <T>(pick: (one: EventToCount) => T) => events.map(pick);
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO analytics_events (event_id, event_type, facility_id, tenant_id, event_time, correlation_id,
       causation_id, gateway_id, seq, source, topic)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
       $8::text[], $9::bigint[], $10::text[], $11::text[])
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [
      column(({ event }) => event.eventId),
      column(({ event }) => event.eventType),
      column(({ event }) => event.facilityId),
      column(({ event }) => event.tenantId),
      column(({ event }) => new Date(event.timestamp)),
      column(({ event }) => event.correlationId ?? null),
      column(({ event }) => event.causationId ?? null),
      column(({ event }) => event.gatewayId ?? null),
      column(({ event }) => event.seq ?? null),
      column(({ event }) => event.source),
      column(({ topic }) => topic),
    ],
  );
  const stored = new Set(rows.map((row) => row.event_id.toLowerCase()));
  const windows = new Map<string, { start: Date; eventType: string; facilityId: string; count: number }>();
  for (const { index, event } of events) {
    const id = event.eventId.toLowerCase();
    if (!stored.delete(id)) continue; // the first copy counts
    counted.add(index);
    const start = windowStart(new Date(event.timestamp));
    const key = `${start.toISOString()} ${event.eventType} ${event.facilityId}`;
    const window = windows.get(key) ?? {
      start,
      eventType: event.eventType,
      facilityId: event.facilityId,
      count: 0,
    };
    window.count += 1;
    windows.set(key, window);
  }
  if (windows.size === 0) return counted;
  const list = [...windows.values()];
  await tx.query(
    `INSERT INTO analytics_event_counts (window_start, event_type, facility_id, count)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (window_start, event_type, facility_id)
     DO UPDATE SET count = analytics_event_counts.count + excluded.count`,
    [
      list.map((w) => w.start),
      list.map((w) => w.eventType),
      list.map((w) => w.facilityId),
      list.map((w) => w.count),
    ],
  );
  return counted;
}
