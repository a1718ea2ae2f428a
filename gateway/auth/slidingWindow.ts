/**
 * A sliding-window limit (sign-ins, national-ID reveals): how long a key
 * whose counted tries were at `times` (any order, in ms) stays stopped at
 * `now`, in milliseconds. 0 below `limit` tries inside the window, else
 * until the oldest of the newest `limit` tries leaves it.
 */
export function waitMsFor(times: readonly number[], limit: number, windowMs: number, now: number): number {
  const recent = times.filter((at) => now - at < windowMs).sort((a, b) => b - a);
  if (recent.length < limit) return 0;
  const oldestCounted = recent[limit - 1]!;
  return Math.max(0, oldestCounted + windowMs - now);
}
