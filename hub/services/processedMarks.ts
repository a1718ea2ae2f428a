import type { HubTx } from '../db/hubDatabase.ts';
import { headerStrings } from './deadLetterRecord.ts';
import type { SourceRecord } from './hubService.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The record's eventId (`ce_id` header) when it is a UUID: the key of idempotency by eventId. */
export function markedEventId(record: SourceRecord): string | undefined {
  const eventId = headerStrings(record.headers).ce_id;
  return eventId && uuidPattern.test(eventId) ? eventId.toLowerCase() : undefined;
}

/**
 * Idempotency by eventId for a batch (docs/architecture.md#guarantee-4): marks every record's
 * eventId as processed by `service` in one statement and tells which records
 * are duplicates: marked before this batch, or a second copy inside it (the
 * first copy is processed). A record without a UUID eventId is never a duplicate.
 */
export async function markProcessed(
  tx: HubTx,
  service: string,
  records: readonly SourceRecord[],
  now: Date,
): Promise<boolean[]> {
  const ids = records.map(markedEventId);
  const distinct = [...new Set(ids.filter((id): id is string => id !== undefined))];
  const fresh = new Set<string>();
  if (distinct.length > 0) {
    const { rows } = await tx.query<{ event_id: string }>(
      `INSERT INTO hub_processed_events (service, event_id, processed_at)
       SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id`,
      [service, distinct, now],
    );
    for (const row of rows) fresh.add(row.event_id.toLowerCase());
  }
  return ids.map((id) => {
    if (id === undefined) return false;
    if (!fresh.has(id)) return true;
    fresh.delete(id); // the first copy takes the mark; a later copy in the batch is a duplicate
    return false;
  });
}
