/** How often the Trends section may read the trend again while readings stream in, and how long it lets a burst settle. */
export const trendRefresh = {
  /** Fewest milliseconds between two reads caused by the live stream. */
  atMostEveryMs: 10_000,
  /** Milliseconds to wait after a reading, so the alert the same reading raises is read with it. */
  settleMs: 1_000,
} as const;

/**
 * Milliseconds until the trend is read again after a reading for the patient
 * arrived at `now`, when it was last read at `lastReadAt` (both milliseconds):
 * at most every `atMostEveryMs`, and never before the burst settled.
 */
export function refreshDelay(
  lastReadAt: number,
  now: number,
  { atMostEveryMs, settleMs }: { atMostEveryMs: number; settleMs: number } = trendRefresh,
): number {
  return Math.max(settleMs, lastReadAt + atMostEveryMs - now);
}
