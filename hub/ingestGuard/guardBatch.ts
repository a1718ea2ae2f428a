import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { RecordFailed } from '../services/batchSplit.ts';
import type { Outcome, SourceRecord } from '../services/hubService.ts';
import { storedTogether } from './batchPlan.ts';
import {
  type ArrivingEvent,
  insertArrivingEvents,
  lockChains,
  occupiedPositions,
  recordClocks,
  seenEventIds,
} from './batchStore.ts';
import { settleFromHead } from './chainSettlement.ts';
import { clockOffsetMs } from './gatewayClock.ts';
import type { GuardEffects } from './guardEffects.ts';
import { prefetchedChain } from './prefetchedChain.ts';
import type { PublisherPolicy } from './publisherPolicy.ts';
import { contentProblem, type DecodedRecord, decodeRecord } from './recordChecks.ts';

/** How the guard settles one record alone (ingestGuard.ts). */
export type RecordPath = (record: SourceRecord, decoded: DecodedRecord) => Promise<Outcome>;

/**
 * The ingest guard's batch (docs/hub.md, "Batches"): the gateways' chain rows
 * are locked once, the events that raise no question (batchPlan.ts) are
 * stored in one statement, and each gateway's chain is settled once from its
 * head with the rules of chainSettlement.ts, reading and writing in a few
 * statements (prefetchedChain.ts). Every other record (duplicates, conflicts,
 * late or refused events, the hub's own events) then takes the record path
 * in batch order, in the same transaction, with the same verdicts as alone.
 */
export async function settleGuardBatch(
  effects: GuardEffects,
  records: readonly SourceRecord[],
  policy: PublisherPolicy,
  recordPath: RecordPath,
  onClockReset: (gatewayId: string) => void,
): Promise<Outcome[]> {
  const decoded = records.map(decodeRecord);
  const together = await storeAndSettle(effects, records, decoded, policy, onClockReset);
  const outcomes: Outcome[] = [];
  for (const [index, record] of records.entries()) {
    const settled = together.get(index);
    if (settled) {
      outcomes.push(settled);
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

/** Stores the batch's plain events and settles their chains; their outcomes by record index. */
async function storeAndSettle(
  effects: GuardEffects,
  records: readonly SourceRecord[],
  decoded: readonly DecodedRecord[],
  policy: PublisherPolicy,
  onClockReset: (gatewayId: string) => void,
): Promise<Map<number, Outcome>> {
  const { tx, now } = effects.ctx;
  const candidates: { index: number; event: ClinicalEvent; digest: string; contentOk: boolean }[] = [];
  for (const [index, one] of decoded.entries())
    if (one.kind === 'gateway')
      candidates.push({
        index,
        event: one.event,
        digest: one.digest,
        contentOk: !contentProblem(one.event as unknown as Record<string, unknown>, policy),
      });
  const outcomes = new Map<number, Outcome>();
  if (candidates.length === 0) return outcomes;
  const events = candidates.map(({ event }) => event);
  const heads = await lockChains(
    tx,
    events.map((event) => event.gatewayId),
    now,
  );
  const chosen = storedTogether(candidates, {
    headSeq: (gatewayId) => heads.get(gatewayId)?.headSeq ?? 0,
    seen: await seenEventIds(tx, [...new Set(events.map((event) => event.eventId.toLowerCase()))]),
    occupied: await occupiedPositions(tx, events),
  });
  if (chosen.length === 0) return outcomes;
  const byIndex = new Map(candidates.map((candidate) => [candidate.index, candidate]));
  const arriving: ArrivingEvent[] = [];
  const byGateway = new Map<string, { index: number; seq: number; offsetMs: number | undefined }[]>();
  for (const index of chosen) {
    const { event, digest } = byIndex.get(index)!;
    const offsetMs = clockOffsetMs(now, event.recordedAt);
    arriving.push({ event, digest, record: records[index]!, clockOffsetMs: offsetMs });
    const list = byGateway.get(event.gatewayId) ?? [];
    list.push({ index, seq: event.seq, offsetMs });
    byGateway.set(event.gatewayId, list);
  }
  await insertArrivingEvents(tx, arriving, now);
  await recordClocks(
    tx,
    [...byGateway].map(([gatewayId, list]) => ({ gatewayId, offsetsMs: list.map((one) => one.offsetMs) })),
    now,
  );
  for (const [gatewayId, list] of byGateway) {
    const head = heads.get(gatewayId)!;
    const chain = await prefetchedChain(tx, gatewayId, head.headSeq);
    await settleFromHead(effects, gatewayId, head, onClockReset, chain);
    const verdicts = await chain.flush();
    for (const { index, seq } of list) {
      const status = verdicts.get(seq)?.status;
      outcomes.set(index, status === 'accepted' || status === 'rejected' ? status : 'pending');
    }
  }
  return outcomes;
}
