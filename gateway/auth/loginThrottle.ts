/**
 * Failed sign-ins counted per username and per client address (docs/security-access.md). Only failures count, so a ward of nurses
 * behind one tablet signs in freely; a guesser is stopped after `maxFailures`
 * within `windowMs` on either key until the oldest failure leaves the window.
 * Kept in memory: a restart forgets it, which costs a guesser a restart of
 * the gateway per few guesses.
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  /** Sliding window, in milliseconds. */
  windowMs: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  maxFailures: 5, // failed sign-ins
  windowMs: 15 * 60 * 1000, // ms: 15 minutes
};

/** Keys tracked at most, so a flood of made-up usernames cannot fill memory. */
const MAX_KEYS = 10_000;

export interface LoginThrottle {
  /** Seconds until the next try is allowed for any of the keys, or 0. */
  retryAfterSeconds(keys: readonly string[]): number;
  fail(keys: readonly string[]): void;
  succeed(key: string): void;
}

export function createLoginThrottle(clock: () => Date, options = defaultLoginThrottle): LoginThrottle {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (failures.get(key) ?? []).filter((at) => now - at < options.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfterSeconds(keys) {
      const now = clock().getTime();
      let waitMs = 0;
      for (const key of keys) {
        const times = recent(key, now);
        if (times.length >= options.maxFailures) {
          const oldestCounted = times[times.length - options.maxFailures]!;
          waitMs = Math.max(waitMs, oldestCounted + options.windowMs - now);
        }
      }
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },
    fail(keys) {
      const now = clock().getTime();
      for (const key of keys) {
        if (!failures.has(key) && failures.size >= MAX_KEYS) {
          const oldest = failures.keys().next().value;
          if (oldest !== undefined) failures.delete(oldest);
        }
        failures.set(key, [...recent(key, now), now].slice(-options.maxFailures));
      }
    },
    succeed(key) {
      failures.delete(key);
    },
  };
}
