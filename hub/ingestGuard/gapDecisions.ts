/** A hole in a gateway's seq that has waited long enough to be reported. */
export interface DueGap {
  fromSeq: number;
  toSeq: number;
  /** The first stored seq after the hole: its link cannot be checked. */
  firstAfter: number;
  waitedMs: number;
}

/**
 * Events of one gateway travel on ten topics and many partitions, so seq 7
 * may arrive before seq 6. A hole after the settled head is only reported
 * when the oldest event waiting above it has waited `graceMs` (hub receive
 * time), or at an explicit check with a grace of 0.
 */
export function gapDue(
  headSeq: number,
  waiting: { nextSeq: number; oldestReceivedAt: Date } | undefined,
  now: Date,
  graceMs: number,
): DueGap | undefined {
  if (!waiting || waiting.nextSeq <= headSeq + 1) return undefined;
  const waitedMs = now.getTime() - waiting.oldestReceivedAt.getTime();
  if (waitedMs < graceMs) return undefined;
  return { fromSeq: headSeq + 1, toSeq: waiting.nextSeq - 1, firstAfter: waiting.nextSeq, waitedMs };
}
