import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { linkHolds } from './chainLink.ts';
import { clockWentBackwards } from './gatewayClock.ts';

/** A gateway's chain as a batch finds it, with its row locked. */
export interface ChainTip {
  headSeq: number;
  headHash: string;
  /** recordedAt of the head's event (null at genesis or over an explained hole). */
  headRecordedAt: string | null;
  /** Nothing is stored above the head and no hole above it is explained: no settling is pending. */
  clear: boolean;
}

/** One gateway event of the batch, as the guard decoded and checked it. */
export interface RunCandidate {
  index: number;
  event: ClinicalEvent;
  /** The catalogue and the publisher policy pass it (recordChecks.ts contentProblem). */
  contentOk: boolean;
  /** Its eventId is stored or refused already, or comes twice in this batch: a question for the record path. */
  seenBefore: boolean;
}

/**
 * The records of one gateway, in batch order, that extend its chain from the
 * head without a question (docs/hub.md, "Batches"): each is new, sound, the
 * next seq, linked to the previous hash (docs/architecture.md#the-event), and its clock did not go
 * back. They are accepted and linked as a whole; the run stops at the first
 * record that is anything else, which and whose followers take the
 * record-at-a-time path (duplicates, conflicts, gaps, late events, broken links).
 */
export function linkedRun(
  tip: ChainTip,
  candidates: readonly RunCandidate[],
): { indices: number[]; headSeq: number; headHash: string } {
  const indices: number[] = [];
  let headSeq = tip.headSeq;
  let headHash = tip.headHash;
  let previousRecordedAt = tip.headRecordedAt ?? undefined;
  if (!tip.clear) return { indices, headSeq, headHash };
  for (const { index, event, contentOk, seenBefore } of candidates) {
    if (seenBefore || !contentOk || event.seq !== headSeq + 1) break;
    if (clockWentBackwards(event, previousRecordedAt) || !linkHolds(headHash, event)) break;
    indices.push(index);
    headSeq = event.seq;
    headHash = event.hash;
    previousRecordedAt = event.recordedAt;
  }
  return { indices, headSeq, headHash };
}
