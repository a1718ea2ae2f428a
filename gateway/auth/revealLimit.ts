import { waitMsFor } from './slidingWindow.ts';

/**
 * How many national IDs one user may reveal (docs/security-access.md#revealing-a-national-id):
 * the hub's compliance rule flags more than 20 an hour as a violation
 * (hub/services/audit/complianceRules.ts); the gateway refuses the 21st.
 */
export interface RevealLimit {
  perUser: number;
  /** Sliding window, in milliseconds. */
  windowMs: number;
}

export const defaultRevealLimit: RevealLimit = {
  perUser: 20, // reveals by one user
  windowMs: 60 * 60 * 1000, // ms: one hour
};

export interface RevealLimiter {
  /** Takes one reveal for the user now: 0, or the seconds to wait (nothing taken). */
  take(userId: string): number;
}

/**
 * Kept in memory: a restart forgets it, and the hub's compliance rule still
 * sees every reveal in the audit log. Checking and counting are one
 * synchronous step, so parallel requests cannot all pass together.
 */
export function createRevealLimiter(clock: () => Date, limit = defaultRevealLimit): RevealLimiter {
  const taken = new Map<string, number[]>();
  return {
    take(userId) {
      const now = clock().getTime();
      const recent = (taken.get(userId) ?? []).filter((at) => now - at < limit.windowMs);
      const waitMs = waitMsFor(recent, limit.perUser, limit.windowMs, now);
      if (waitMs > 0) {
        taken.set(userId, recent);
        return Math.ceil(waitMs / 1000);
      }
      taken.set(userId, [...recent, now]);
      return 0;
    },
  };
}
