import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { signInKeys, type SignInKey, type SignInLimits } from './signInLimits.ts';
import { waitMsFor } from './slidingWindow.ts';

export type SignInReservation =
  | { allowed: true; attemptId: string }
  | { allowed: false; retryAfterSeconds: number };

/**
 * The sign-in limit (docs/security-access.md#sign-in-limits) over the
 * gateway's database, so a restart forgets nothing. A try is reserved
 * before its password is hashed and counts as a failure from that moment:
 * checking and counting are one synchronous transaction, so a burst of
 * parallel tries cannot all pass the check while the first ones are still
 * hashing. A try that succeeds takes its reservation back.
 */
export interface LoginThrottle {
  reserve(username: string, address: string): SignInReservation;
  /** The try succeeded: its reservation goes, and the failures of its username from its address with it. */
  succeeded(attemptId: string, username: string, address: string): void;
}

interface CountRow {
  at_ms: number;
}

export function createLoginThrottle(
  db: SqliteDatabase,
  clock: () => Date,
  newId: () => string,
  limits: SignInLimits,
): LoginThrottle {
  const prune = db.prepare('DELETE FROM sign_in_attempts WHERE at_ms <= ?');
  // The newest `limit` times of a key in the window: enough to say how long to wait.
  const newest = db.prepare<[string, number, number], CountRow>(
    'SELECT at_ms FROM sign_in_attempts WHERE key = ? AND at_ms > ? ORDER BY at_ms DESC LIMIT ?',
  );
  const insert = db.prepare('INSERT INTO sign_in_attempts (attempt_id, key, at_ms) VALUES (?, ?, ?)');
  const release = db.prepare('DELETE FROM sign_in_attempts WHERE attempt_id = ?');
  const forget = db.prepare('DELETE FROM sign_in_attempts WHERE key = ?');

  const reserve = db.transaction((keys: readonly SignInKey[], now: number): SignInReservation => {
    prune.run(now - limits.windowMs);
    const waitMs = Math.max(
      0,
      ...keys.map((key) =>
        waitMsFor(
          newest.all(key.key, now - limits.windowMs, key.limit).map((row) => row.at_ms),
          key.limit,
          limits.windowMs,
          now,
        ),
      ),
    );
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const attemptId = newId();
    for (const key of keys) insert.run(attemptId, key.key, now);
    return { allowed: true, attemptId };
  });

  return {
    reserve(username, address) {
      // IMMEDIATE: the write lock is taken before the counts are read, also against another process.
      return reserve.immediate(signInKeys(username, address, limits), clock().getTime());
    },
    succeeded(attemptId, username, address) {
      const pair = signInKeys(username, address, limits).find((key) => key.kind === 'pair');
      db.transaction(() => {
        release.run(attemptId);
        if (pair) forget.run(pair.key);
      })();
    },
  };
}
