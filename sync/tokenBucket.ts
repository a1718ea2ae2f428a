/**
 * The bandwidth budget (docs/architecture.md#guarantee-5: a configurable
 * bandwidth budget, bytes per second, that the engine respects) as a token bucket, pure: the clock
 * arrives as an argument in milliseconds.
 *
 * A batch may spend more than the bucket holds (the bucket goes into debt),
 * and the engine waits until the debt is repaid before it picks the next
 * lane. So the average rate never exceeds the budget, a record larger than
 * the burst still goes out, and the wait happens *before* the next lane is
 * chosen: an alert recorded during the wait goes first.
 */
export interface BandwidthBudget {
  /** Refill rate, in bytes per second. */
  bytesPerSecond: number;
  /** Most bytes the bucket holds: what may go out at once after a quiet spell, in bytes. */
  burstBytes: number;
}

export interface TokenBucket {
  /** Bytes that may be sent now; negative while a large batch is being paid back. */
  tokens: number;
  /** When `tokens` was computed, in milliseconds. */
  atMs: number;
}

/** A budget of `bytesPerSecond` with one second of burst; 0 means no limit (undefined). */
export function budgetOf(bytesPerSecond: number, burstSeconds = 1): BandwidthBudget | undefined {
  if (bytesPerSecond <= 0) return undefined;
  return { bytesPerSecond, burstBytes: Math.max(1, Math.floor(bytesPerSecond * burstSeconds)) };
}

export function fullBucket(budget: BandwidthBudget, nowMs: number): TokenBucket {
  return { tokens: budget.burstBytes, atMs: nowMs };
}

export function refill(bucket: TokenBucket, budget: BandwidthBudget, nowMs: number): TokenBucket {
  const elapsedMs = Math.max(0, nowMs - bucket.atMs);
  const tokens = Math.min(budget.burstBytes, bucket.tokens + (elapsedMs * budget.bytesPerSecond) / 1000);
  return { tokens, atMs: Math.max(nowMs, bucket.atMs) };
}

/** Milliseconds to wait before the next batch may go (0: now). */
export function waitBeforeSendingMs(bucket: TokenBucket, budget: BandwidthBudget, nowMs: number): number {
  const { tokens } = refill(bucket, budget, nowMs);
  return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / budget.bytesPerSecond);
}

/** The bucket after `bytes` went out at `nowMs`. */
export function spend(
  bucket: TokenBucket,
  budget: BandwidthBudget,
  nowMs: number,
  bytes: number,
): TokenBucket {
  const refilled = refill(bucket, budget, nowMs);
  return { tokens: refilled.tokens - bytes, atMs: refilled.atMs };
}

/** The most bytes one batch should hold under a budget: one burst, so a batch never holds the link for long. */
export function batchBytesUnder(budget: BandwidthBudget | undefined, batchMaxBytes: number): number {
  return budget ? Math.min(batchMaxBytes, budget.burstBytes) : batchMaxBytes;
}
