import type { SyncLane } from '../kernel/events/eventTypeSpec.ts';

export type { SyncLane };

/** Every lane, highest priority first (docs/architecture.md#guarantee-5). */
export const syncLanes: readonly SyncLane[] = ['alert', 'clinical', 'telemetry', 'audit'];

/**
 * Priority of each lane: a lower rank is always sent first. Telemetry and
 * audit share the last rank and take turns, so a flood of readings never
 * starves the audit trail (nor the other way round).
 */
export const laneRank: Readonly<Record<SyncLane, number>> = {
  alert: 0,
  clinical: 1,
  telemetry: 2,
  audit: 2,
};

/**
 * The lane to send from next: the highest-priority lane with events waiting;
 * among lanes of equal rank, the one not served last. Asked again before
 * every batch, so an alert recorded while a million readings wait goes in
 * the very next batch.
 */
export function pickLane(pending: ReadonlySet<SyncLane>, lastServed?: SyncLane): SyncLane | undefined {
  let best: SyncLane[] = [];
  for (const lane of syncLanes) {
    if (!pending.has(lane)) continue;
    const rank = laneRank[lane];
    const bestRank = best[0] === undefined ? Number.POSITIVE_INFINITY : laneRank[best[0]];
    if (rank < bestRank) best = [lane];
    else if (rank === bestRank) best.push(lane);
  }
  if (best.length > 1 && lastServed !== undefined && best[0] === lastServed) return best[1];
  return best[0];
}
