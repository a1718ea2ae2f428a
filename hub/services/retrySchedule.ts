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

/** First wait for a record the ingest guard has not settled yet, in milliseconds. */
export const firstNotReadyDelayMs = 5; // ms: the guard usually settles a record within a few milliseconds

/**
 * Wait before trying again a record that was not ready (the `waits`-th such
 * try, 1 = the first), after `attempt` tries spent on failures: it starts at
 * `firstNotReadyDelayMs` and doubles, never above the failure schedule. A
 * downstream service reads a record at the moment the guard does, so the first
 * waits are short: the failure schedule's 100-200 ms would be most of a
 * reading's way to FHIR (docs/benchmarks.md).
 */
export function notReadyDelayMs(
  waits: number,
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const quick = firstNotReadyDelayMs * 2 ** Math.max(0, waits - 1);
  return Math.min(quick, retryDelayMs(waits + attempt, options, random));
}
