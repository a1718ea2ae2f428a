/**
 * Failed MQTT logins counted per key (a source address, a device id) within
 * a sliding window (docs/security.md#d-person-or-entity-authentication). An
 * attempt is reserved as a failure before its password is checked and given
 * back only if the login succeeds, so a burst of parallel CONNECTs cannot all
 * pass the check while the first are still hashing. Kept in memory, like the
 * users' sign-in throttle (auth/loginThrottle.ts); the clock is an argument.
 */
export interface LoginAttemptLimits {
  /** Failed logins per key within the window; the next is refused unchecked. */
  maxFailures: number;
  /** Sliding window, in milliseconds. */
  windowMs: number;
}

export type Reservation =
  /** Checking may go on; `succeeded()` gives the attempt back. */
  | { ok: true; succeeded(): void }
  /** The key that is over its limit, and when its oldest counted failure leaves the window. */
  | { ok: false; key: string; retryAfterMs: number };

export interface LoginAttempts {
  reserve(keys: readonly string[], now: number): Reservation;
}

/** Keys tracked at most, so a flood of made-up device ids cannot fill memory. */
const maxKeys = 10_000;

export function createLoginAttempts(limits: LoginAttemptLimits): LoginAttempts {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) =>
    (failures.get(key) ?? []).filter((at) => now - at < limits.windowMs);

  const remember = (key: string, times: number[]) => {
    if (times.length === 0) return void failures.delete(key);
    if (!failures.has(key) && failures.size >= maxKeys) {
      const oldest = failures.keys().next().value;
      if (oldest !== undefined) failures.delete(oldest);
    }
    failures.set(key, times);
  };

  return {
    reserve(keys, now) {
      for (const key of keys) {
        const times = recent(key, now);
        remember(key, times);
        if (times.length >= limits.maxFailures) {
          const oldestCounted = times[times.length - limits.maxFailures] ?? now;
          return { ok: false, key, retryAfterMs: oldestCounted + limits.windowMs - now };
        }
      }
      for (const key of keys) remember(key, [...recent(key, now), now]);
      let given = false;
      return {
        ok: true,
        succeeded() {
          if (given) return;
          given = true;
          for (const key of keys) {
            const times = failures.get(key) ?? [];
            const index = times.lastIndexOf(now);
            if (index >= 0) remember(key, times.toSpliced(index, 1));
          }
        },
      };
    },
  };
}
