import { GENESIS_HASH } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { hubMessage } from '../errors.ts';
import type { RejectionReason } from '../services/hubService.ts';
import { linkHolds, settledVerdict } from './chainLink.ts';
import type { HubTx } from '../db/hubDatabase.ts';
import { type ExplainedHole, explainedHoleAt, recordExplainedHole } from './explainedHoles.ts';
import { gapDue } from './gapDecisions.ts';
import { clockWentBackwards } from './gatewayClock.ts';
import type { GuardEffects } from './guardEffects.ts';
import {
  type ChainHead,
  eventAt,
  fillGapsAround,
  lockChain,
  recordClock,
  recordGap,
  type Settlement,
  type StoredEvent,
  setHead,
  settleEvent,
  storedEventBody,
  waitingAbove,
} from './ingestStore.ts';

/**
 * How a gateway's chain is verified when its events arrive in any order
 * (docs/hub.md, "Gaps and out-of-order arrival"):
 *
 * - every event is stored under (gatewayId, seq) as it arrives;
 * - the chain is settled from the head: while the event after the head is
 *   stored, its link to the head's hash is checked and the head moves on;
 * - an event above a hole waits; when the oldest waiting event has waited
 *   the grace time, the hole is reported as a gap, the event after it is
 *   dead-lettered (its link cannot be checked) and the chain goes on from it;
 * - an event that arrives after its hole was reported ("late") is linked to
 *   its neighbours, and the gap is marked filled when it is whole.
 */

/** Whom a stored event names, for the compliance event. */
function offenderOf(event: ClinicalEvent) {
  return {
    eventId: event.eventId,
    source: event.source,
    gatewayId: event.gatewayId,
    seq: event.seq,
    patientId: event.patientId,
    facilityId: event.facilityId,
    tenantId: event.tenantId,
  };
}

/** Where settling reads a gateway's stored events and explained holes, and writes verdicts. */
export interface ChainReader {
  eventAt(seq: number): Promise<StoredEvent | undefined>;
  holeAt(seq: number): Promise<ExplainedHole | undefined>;
  settle(stored: StoredEvent, settled: Settlement): Promise<void>;
}

/** One query per read and per verdict, in the transaction (a record at a time). */
export function directReader(tx: HubTx, gatewayId: string): ChainReader {
  return {
    eventAt: (seq) => eventAt(tx, gatewayId, seq),
    holeAt: (seq) => explainedHoleAt(tx, gatewayId, seq),
    settle: (stored, settled) => settleEvent(tx, gatewayId, stored.seq, settled),
  };
}

/** Checks one stored event's link to the event before it and records the verdict. */
async function settleOne(
  effects: GuardEffects,
  stored: StoredEvent,
  previous: { hash: string; recordedAt: string | null },
  onClockReset: (gatewayId: string) => void,
  reader: ChainReader = directReader(effects.ctx.tx, stored.gatewayId),
): Promise<void> {
  const { ctx } = effects;
  const event = storedEventBody(stored);
  const holds = linkHolds(previous.hash, event);
  const verdict = settledVerdict(stored, holds);
  const backwards = clockWentBackwards(event, previous.recordedAt ?? undefined);
  let rejection: RejectionReason | undefined;
  if (verdict.breaksChain) {
    rejection = {
      code: 'HUB_ERR_CHAIN_BROKEN',
      message: hubMessage('HUB_ERR_CHAIN_BROKEN', [
        stored.gatewayId,
        stored.seq,
        `its hash ${stored.hash.slice(0, 12)}… is not SHA-256 of the previous hash ${previous.hash.slice(0, 12)}… and its body: the event was altered`,
      ]),
    };
    // Already dead-lettered for its content: the chain break is recorded and raised, not sent twice.
    await effects.refuse({
      record: stored.record,
      reason: rejection,
      digest: stored.valueDigest,
      offender: offenderOf(event),
      deadLetter: stored.status !== 'rejected',
    });
  }
  if (backwards && !stored.clockWentBackwards) {
    await recordClock(ctx.tx, stored.gatewayId, { receivedAt: ctx.now, offsetMs: undefined, resets: 1 });
    ctx.afterCommit(() => onClockReset(stored.gatewayId));
  }
  await reader.settle(stored, {
    chain: verdict.chain,
    status: stored.status === 'rejected' || !verdict.accept ? 'rejected' : 'accepted',
    ...(rejection && stored.status !== 'rejected' ? { rejection } : {}),
    clockWentBackwards: backwards || stored.clockWentBackwards,
    at: ctx.now,
  });
}

/** Moves the head over every stored event that follows it; returns the new head. */
export async function settleFromHead(
  effects: GuardEffects,
  gatewayId: string,
  head: ChainHead,
  onClockReset: (gatewayId: string) => void,
  reader: ChainReader = directReader(effects.ctx.tx, gatewayId),
): Promise<ChainHead> {
  const { tx } = effects.ctx;
  let current = head;
  let previousRecordedAt =
    head.headSeq > 0 ? ((await reader.eventAt(head.headSeq))?.recordedAt ?? null) : null;
  for (;;) {
    const next = await reader.eventAt(current.headSeq + 1);
    if (!next) {
      // A hole the gateway explained (it dead-lettered that event): step over it with the hash
      // its notice gave, so the next event's link is still checked.
      const hole = await reader.holeAt(current.headSeq + 1);
      if (!hole) break;
      await recordExplainedHole(tx, gatewayId, hole.seq, effects.ctx.now);
      current = { headSeq: hole.seq, headHash: hole.hash };
      previousRecordedAt = hole.recordedAt;
      continue;
    }
    await settleOne(
      effects,
      next,
      { hash: current.headHash, recordedAt: previousRecordedAt },
      onClockReset,
      reader,
    );
    current = { headSeq: next.seq, headHash: next.hash };
    previousRecordedAt = next.recordedAt;
  }
  if (current.headSeq !== head.headSeq) await setHead(tx, gatewayId, current);
  return current;
}

/** Links an event that arrived after its hole was reported, and the late events after it. */
export async function settleLate(
  effects: GuardEffects,
  gatewayId: string,
  seq: number,
  onClockReset: (gatewayId: string) => void,
): Promise<void> {
  const { tx, now } = effects.ctx;
  for (let at = seq; ; at += 1) {
    const stored = await eventAt(tx, gatewayId, at);
    if (!stored || (stored.chain !== 'late' && stored.chain !== 'after_gap')) break;
    const previous =
      at === 1
        ? { hash: GENESIS_HASH, recordedAt: null }
        : ((await eventAt(tx, gatewayId, at - 1)) ?? (await explainedHoleAt(tx, gatewayId, at - 1)));
    if (!previous) break;
    if (stored.chain === 'after_gap') {
      // Dead-lettered when its gap was reported; now that the hole is filled its link can be
      // checked, and an event with sound content is accepted after all (its dead letter stays).
      if (linkHolds(previous.hash, storedEventBody(stored)))
        await settleEvent(tx, gatewayId, at, {
          chain: 'linked',
          status: stored.contentOk ? 'accepted' : 'rejected',
          clockWentBackwards: stored.clockWentBackwards,
          at: now,
        });
      break;
    }
    await settleOne(effects, stored, previous, onClockReset);
  }
  await fillGapsAround(tx, gatewayId, seq, now);
}

/** Reports the holes of one gateway whose grace time is over; returns how many. */
export async function reportDueGaps(
  effects: GuardEffects,
  gatewayId: string,
  graceMs: number,
  onClockReset: (gatewayId: string) => void,
): Promise<number> {
  const { tx, now } = effects.ctx;
  let head = await lockChain(tx, gatewayId, now);
  let reported = 0;
  for (;;) {
    const due = gapDue(head.headSeq, await waitingAbove(tx, gatewayId, head.headSeq), now, graceMs);
    if (!due) break;
    const first = (await eventAt(tx, gatewayId, due.firstAfter))!;
    const event = storedEventBody(first);
    const reason: RejectionReason = {
      code: 'HUB_ERR_SEQ_GAP',
      message: hubMessage('HUB_ERR_SEQ_GAP', [
        gatewayId,
        due.fromSeq,
        due.toSeq,
        due.waitedMs,
        due.firstAfter,
      ]),
    };
    await recordGap(tx, gatewayId, due, now);
    // The gap is raised once; the event after it is dead-lettered unless it already was.
    await effects.refuse({
      record: first.record,
      reason,
      digest: first.valueDigest,
      offender: offenderOf(event),
      deadLetter: first.status !== 'rejected',
    });
    await settleEvent(tx, gatewayId, first.seq, {
      chain: 'after_gap',
      status: 'rejected',
      ...(first.status !== 'rejected' ? { rejection: reason } : {}),
      clockWentBackwards: first.clockWentBackwards,
      at: now,
    });
    head = await settleFromHead(
      effects,
      gatewayId,
      { headSeq: first.seq, headHash: first.hash },
      onClockReset,
    );
    if (head.headSeq === first.seq) await setHead(tx, gatewayId, head);
    reported += 1;
  }
  return reported;
}
