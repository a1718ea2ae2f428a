/** Reconnect policy: exponential backoff with full jitter, in milliseconds. */
export interface BackoffPolicy {
  /** The cap of the first wait. */
  minMs: number;
  /** The largest cap, however many attempts failed. */
  maxMs: number;
}

/**
 * How long to wait before attempt `attempt` (0 for the first retry): a random
 * time between 0 and min(maxMs, minMs × 2^attempt) ("full jitter", AWS
 * Architecture Blog, "Exponential Backoff and Jitter", 2015), so a hundred
 * clinics that lost the same link do not reconnect in step. `random` is
 * injected (Math.random in the shell) so tests pin it.
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
  return Math.floor(random() * cap);
}
