import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { clockWentBackwards } from './gatewayClock.ts';

/** One gateway event of the batch, as the guard decoded and checked it. */
export interface BatchCandidate {
  index: number;
  event: ClinicalEvent;
  /** The catalogue and the publisher policy pass it (recordChecks.ts contentProblem). */
  contentOk: boolean;
}

/** What the database already holds for the batch's events. */
export interface BatchKnowledge {
  /** Settled head seq per gateway. */
  headSeq(gatewayId: string): number;
  /** EventIds stored or refused before (lower case). */
  seen: ReadonlySet<string>;
  /** `${gatewayId} ${seq}` of stored events. */
  occupied: ReadonlySet<string>;
}

const position = (event: ClinicalEvent) => `${event.gatewayId} ${event.seq}`;

/**
 * Which of the batch's gateway events the guard stores in one statement
 * before settling their chains (docs/hub.md, "Batches"): those that raise no
 * question, i.e. a new eventId, a free (gatewayId, seq) above the head,
 * sound content and no clock reset flagged, none sharing its eventId or its
 * position with another record of the batch. Every other record takes the
 * record path, so duplicates, conflicts, late events and refusals are decided
 * by the same code as when they come alone.
 */
export function storedTogether(candidates: readonly BatchCandidate[], known: BatchKnowledge): number[] {
  const count = (key: (event: ClinicalEvent) => string) => {
    const counts = new Map<string, number>();
    for (const { event } of candidates) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1);
    return counts;
  };
  const ids = count((event) => event.eventId.toLowerCase());
  const positions = count(position);
  return candidates
    .filter(({ event, contentOk }) => {
      const id = event.eventId.toLowerCase();
      return (
        contentOk &&
        !known.seen.has(id) &&
        ids.get(id) === 1 &&
        positions.get(position(event)) === 1 &&
        !known.occupied.has(position(event)) &&
        event.seq > known.headSeq(event.gatewayId) &&
        !clockWentBackwards(event)
      );
    })
    .map(({ index }) => index);
}
