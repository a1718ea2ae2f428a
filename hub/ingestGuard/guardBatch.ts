import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { RecordFailed } from '../services/batchSplit.ts';
import type { Outcome, SourceRecord, TransactionContext } from '../services/hubService.ts';
import { advanceChains, insertLinkedEvents, lockChains, seenEventIds } from './batchStore.ts';
import { clockOffsetMs } from './gatewayClock.ts';
import { linkedRun, type RunCandidate } from './linkedRun.ts';
import type { PublisherPolicy } from './publisherPolicy.ts';
import { contentProblem, type DecodedRecord, decodeRecord } from './recordChecks.ts';

/** How the guard settles one record the batch could not link as a whole (ingestGuard.ts). */
export type RecordPath = (record: SourceRecord, decoded: DecodedRecord) => Promise<Outcome>;

/**
 * The ingest guard's batch (docs/hub.md, "Batches"): each gateway's chain row
 * is locked once, the events that simply extend a chain (linkedRun.ts) are
 * stored, linked and accepted in one statement and each chain's head moves
 * once; every other record (duplicates, conflicts, gaps, late or refused
 * events, the hub's own events) takes the record path in batch order, in the
 * same transaction, with the same rules as when it comes alone.
 */
export async function settleGuardBatch(
  ctx: TransactionContext,
  records: readonly SourceRecord[],
  policy: PublisherPolicy,
  recordPath: RecordPath,
): Promise<Outcome[]> {
  const decoded = records.map(decodeRecord);
  const linked = await linkRuns(ctx, records, decoded, policy);
  const outcomes: Outcome[] = [];
  for (const [index, record] of records.entries()) {
    if (linked.has(index)) {
      outcomes.push('accepted');
      continue;
    }
    try {
      outcomes.push(await recordPath(record, decoded[index]!));
    } catch (error) {
      throw new RecordFailed(index, error);
    }
  }
  return outcomes;
}

/** Stores and accepts every gateway's linked run; returns the indices of the records it settled. */
async function linkRuns(
  ctx: TransactionContext,
  records: readonly SourceRecord[],
  decoded: readonly DecodedRecord[],
  policy: PublisherPolicy,
): Promise<Set<number>> {
  const events: { index: number; event: ClinicalEvent; digest: string }[] = [];
  for (const [index, one] of decoded.entries())
    if (one.kind === 'gateway') events.push({ index, event: one.event, digest: one.digest });
  const settled = new Set<number>();
  if (events.length === 0) return settled;
  const tips = await lockChains(
    ctx.tx,
    events.map(({ event }) => event.gatewayId),
    ctx.now,
  );
  const ids = events.map(({ event }) => event.eventId.toLowerCase());
  const seen = await seenEventIds(ctx.tx, [...new Set(ids)]);
  const copies = new Map<string, number>();
  for (const id of ids) copies.set(id, (copies.get(id) ?? 0) + 1);
  const byGateway = new Map<string, RunCandidate[]>();
  for (const { index, event } of events) {
    const id = event.eventId.toLowerCase();
    const candidates = byGateway.get(event.gatewayId) ?? [];
    candidates.push({
      index,
      event,
      contentOk: !contentProblem(event as unknown as Record<string, unknown>, policy),
      seenBefore: seen.has(id) || (copies.get(id) ?? 0) > 1,
    });
    byGateway.set(event.gatewayId, candidates);
  }
  const digests = new Map(events.map(({ index, digest }) => [index, digest]));
  const rows = [];
  const advances = [];
  for (const [gatewayId, candidates] of byGateway) {
    const tip = tips.get(gatewayId);
    if (!tip) continue;
    const run = linkedRun(tip, candidates);
    if (run.indices.length === 0) continue;
    const offsetsMs: (number | undefined)[] = [];
    for (const index of run.indices) {
      const event = (decoded[index] as { event: ClinicalEvent }).event;
      const offset = clockOffsetMs(ctx.now, event.recordedAt);
      offsetsMs.push(offset);
      rows.push({ event, digest: digests.get(index)!, record: records[index]!, clockOffsetMs: offset });
      settled.add(index);
    }
    advances.push({ gatewayId, headSeq: run.headSeq, headHash: run.headHash, offsetsMs });
  }
  await insertLinkedEvents(ctx.tx, rows, ctx.now);
  await advanceChains(ctx.tx, advances, ctx.now);
  return settled;
}
