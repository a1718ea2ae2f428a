import type { ClinicalEvent, EventDraft } from '../../../gateway/events/envelope.ts';
import { validateDraft } from '../../../gateway/events/validateEvent.ts';
import { HubError } from '../../errors.ts';
import { decodeRecord } from '../../ingestGuard/recordChecks.ts';
import type { HubTx } from '../../db/hubDatabase.ts';
import type { SourceRecord } from '../hubService.ts';

/** What a service after the ingest guard does with a record. */
export type GuardVerdict =
  /** Accepted by the guard (a gateway's event), or a valid hub event: process it. */
  | { kind: 'process'; event: EventDraft & Partial<Pick<ClinicalEvent, 'gatewayId' | 'seq'>> }
  /** Refused by the guard (or unreadable): the guard has dead-lettered it; skip. */
  | { kind: 'skip'; why: 'rejected' | 'unreadable' };

/**
 * The ingest guard's verdict on a record, read in the caller's transaction
 * (docs/hub.md: later services read gateway_events where status = 'accepted').
 * Downstream services consume the topics in consumer groups of their own, so
 * they may see a record before the guard has settled it: that is thrown as
 * HUB_ERR_AWAITING_INGEST, and the framework tries the record again with
 * backoff (and dead-letters it if the guard never decides).
 *
 * Stand-in for the shared hub/services/guardedEvents.ts, until that lands.
 */
export async function guardVerdict(
  tx: HubTx,
  record: SourceRecord,
  options: { waitMs?: number } = {},
): Promise<GuardVerdict> {
  // The guard usually decides within milliseconds; waiting here (each query
  // sees what committed since, READ COMMITTED) spares the record its retries,
  // which are for failures. After waitMs the error goes to the retry schedule.
  const deadline = Date.now() + (options.waitMs ?? defaultWaitMs);
  for (let pause = 20; ; pause = Math.min(pause * 2, 1000)) {
    try {
      return await verdictNow(tx, record);
    } catch (error) {
      if (
        !(error instanceof HubError && error.code === 'HUB_ERR_AWAITING_INGEST') ||
        Date.now() + pause > deadline
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

const defaultWaitMs = 30_000; // ms: longer than the guard takes on a busy hub, shorter than a consumer session

async function verdictNow(tx: HubTx, record: SourceRecord): Promise<GuardVerdict> {
  const decoded = decodeRecord(record);
  switch (decoded.kind) {
    case 'refused':
      return { kind: 'skip', why: 'unreadable' };
    case 'hub': {
      const checked = validateDraft(decoded.draft);
      return checked.ok ? { kind: 'process', event: checked.draft } : { kind: 'skip', why: 'rejected' };
    }
    case 'gateway': {
      const { rows } = await tx.query<{ status: string }>(
        'SELECT status FROM gateway_events WHERE event_id = $1',
        [decoded.event.eventId],
      );
      const status = rows[0]?.status;
      if (status === 'accepted') return { kind: 'process', event: decoded.event };
      if (status === 'rejected') return { kind: 'skip', why: 'rejected' };
      if (status === undefined) {
        const refused = await tx.query('SELECT 1 FROM ingest_rejections WHERE event_id = $1 LIMIT 1', [
          decoded.event.eventId,
        ]);
        if ((refused.rowCount ?? 0) > 0) return { kind: 'skip', why: 'rejected' };
      }
      throw new HubError('HUB_ERR_AWAITING_INGEST', [decoded.event.eventId]);
    }
    default: {
      const unhandled: never = decoded;
      return unhandled;
    }
  }
}
