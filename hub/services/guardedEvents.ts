import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { hubMessage } from '../errors.ts';
import type { PublisherPolicy } from '../ingestGuard/publisherPolicy.ts';
import { contentProblem, decodeRecord } from '../ingestGuard/recordChecks.ts';
import type { ServiceContext, SourceRecord } from './hubService.ts';
import { markedEventId } from './processedMarks.ts';
import { NotReadyError } from './notReady.ts';

/**
 * What a downstream service may do with a record of the ten topics, as the
 * ingest guard decided it (docs/hub.md, "Which events downstream services trust").
 */
export type GuardedEvent =
  /** Verified by the guard (catalogue, publisher, hash chain): process it. */
  | { kind: 'accepted'; event: ClinicalEvent; chain: { gatewayId: string; seq: number; hash: string } }
  /** A hub service's own event (no chain): its content and publisher pass the guard's checks. */
  | { kind: 'hub'; event: EventDraft }
  /** Refused by the guard (or unreadable, which the guard refuses too): skip, with this outcome label. */
  | { kind: 'skip'; outcome: 'guard_rejected' | 'unreadable' };

export interface GuardedEventsDeps {
  /** The service asking; its idempotency mark is removed for a skipped record (see below). */
  service: string;
  policy: PublisherPolicy;
}

interface StoredRow {
  status: 'pending' | 'accepted' | 'rejected';
  value_digest: string;
  value: Buffer;
  seq: string;
  hash: string;
  gateway_id: string;
}

/**
 * Looks the record up in the ingest guard's tables, in the caller's
 * transaction: accepted in `gateway_events` -> the event as the guard
 * accepted it (a conflicting copy of an accepted eventId yields the accepted
 * bytes, never its own); refused -> skip; not yet seen or still pending ->
 * NotReadyError, which the runner retries with backoff. So only guarded
 * events are ever projected, and every service decides the same way.
 */
export async function guardedEvent(ctx: ServiceContext, deps: GuardedEventsDeps): Promise<GuardedEvent> {
  const decoded = decodeRecord(ctx.record);
  if (decoded.kind === 'refused') return { kind: 'skip', outcome: 'unreadable' };
  if (decoded.kind === 'hub') {
    const eventId = String(decoded.draft.eventId ?? '');
    if (await refusedByGuard(ctx, deps, eventId, decoded.digest)) return skip(ctx, deps, eventId);
    // The guard's checks of a hub event are pure: the same verdict here, without waiting for it.
    if (contentProblem(decoded.draft, deps.policy)) return skip(ctx, deps, eventId);
    return { kind: 'hub', event: decoded.draft as unknown as EventDraft };
  }
  const { event, digest } = decoded;
  const stored = await storedVerdict(ctx, event.eventId);
  if (!stored) {
    if (await refusedByGuard(ctx, deps, event.eventId, digest)) return skip(ctx, deps, event.eventId);
    throw notGuarded(event.eventId, 'not yet seen by the ingest guard');
  }
  if (stored.status === 'rejected') return skip(ctx, deps, event.eventId);
  if (stored.status === 'pending')
    throw notGuarded(event.eventId, 'its place in the hash chain is not settled');
  const accepted =
    stored.value_digest === digest ? event : (JSON.parse(stored.value.toString('utf8')) as ClinicalEvent);
  return {
    kind: 'accepted',
    event: accepted,
    chain: { gatewayId: stored.gateway_id, seq: Number(stored.seq), hash: stored.hash },
  };
}

const verdictColumns = 'event_id, status, value_digest, value, seq, hash, gateway_id';
/** The guard's rows for a batch's events, read once per transaction (docs/hub.md, "Batches"). */
const batchVerdicts = new WeakMap<
  readonly SourceRecord[],
  { asked: Set<string>; rows: Map<string, StoredRow> }
>();

/** The guard's row for the event: from the batch's one lookup when there is one, else alone. */
async function storedVerdict(ctx: ServiceContext, eventId: string): Promise<StoredRow | undefined> {
  const id = eventId.toLowerCase();
  if (ctx.batch && ctx.batch.length > 1) {
    let verdicts = batchVerdicts.get(ctx.batch);
    if (!verdicts) {
      const asked = new Set(ctx.batch.map(markedEventId).filter((one): one is string => one !== undefined));
      const { rows } = await ctx.tx.query<StoredRow & { event_id: string }>(
        `SELECT ${verdictColumns} FROM gateway_events WHERE event_id = ANY($1::uuid[])`,
        [[...asked]],
      );
      verdicts = { asked, rows: new Map(rows.map((row) => [row.event_id.toLowerCase(), row])) };
      batchVerdicts.set(ctx.batch, verdicts);
    }
    // A verdict committed since the lookup is seen when the record, found not ready, is tried alone.
    if (verdicts.asked.has(id)) return verdicts.rows.get(id);
  }
  const { rows } = await ctx.tx.query<StoredRow>(
    `SELECT ${verdictColumns} FROM gateway_events WHERE event_id = $1`,
    [eventId],
  );
  return rows[0];
}

async function refusedByGuard(
  ctx: ServiceContext,
  _deps: GuardedEventsDeps,
  eventId: string,
  digest: string,
) {
  if (!eventId) return false;
  const { rowCount } = await ctx.tx.query(
    'SELECT 1 FROM ingest_rejections WHERE event_id = $1 AND value_digest = $2 LIMIT 1',
    [eventId, digest],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * A skipped record is not remembered as processed: a refused event can be
 * accepted later (a seq gap filled by a late event), and then a replay of it
 * must be projected.
 */
async function skip(ctx: ServiceContext, deps: GuardedEventsDeps, eventId: string): Promise<GuardedEvent> {
  if (/^[0-9a-f-]{36}$/i.test(eventId))
    await ctx.tx.query('DELETE FROM hub_processed_events WHERE service = $1 AND event_id = $2', [
      deps.service,
      eventId,
    ]);
  return { kind: 'skip', outcome: 'guard_rejected' };
}

function notGuarded(eventId: string, why: string): NotReadyError {
  return new NotReadyError(
    'HUB_ERR_EVENT_NOT_GUARDED',
    hubMessage('HUB_ERR_EVENT_NOT_GUARDED', [eventId, why]),
  );
}
