import type { RetryOptions } from '../hubOptions.ts';

/**
 * Wait before try number `attempt` (2 = the first retry), in milliseconds:
 * exponential from `initialDelayMs`, capped at `maxDelayMs`, with "equal
 * jitter" (half fixed, half random) so services retrying the same fault do
 * not hit PostgreSQL in step. `random` is injected for tests.
 */
export function retryDelayMs(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  if (attempt <= 1) return 0;
  const exponential = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 2));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
