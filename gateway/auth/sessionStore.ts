import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import type { User, UserStore } from './userStore.ts';

export interface SessionPolicy {
  /** Ends after this long without a request, in milliseconds. */
  idleMs: number;
  /** Ends this long after sign-in whatever its use, in milliseconds. */
  maxMs: number;
}

export type SessionLookup =
  | { status: 'active'; user: User; tokenHash: Buffer }
  | { status: 'expired'; reason: 'idle' | 'lifetime' }
  | { status: 'unknown' };

export interface SessionStore {
  /** Starts a session; returns the token for the cookie (only its hash is stored). */
  start(user: User): string;
  /**
   * The session of a token; an active one slides its idle window unless
   * `slide` is false (a request the screen made by itself, not its user).
   */
  resume(token: string, options?: { slide: boolean }): SessionLookup;
  /** Whether the token's session is still active, without sliding its idle window (a long-lived stream asks this). */
  isActive(token: string): boolean;
  end(token: string): void;
}

/** How stale `last_seen_ms` may get before a request writes it again, in milliseconds: one write per half minute, not per request. */
const SLIDE_WRITE_EVERY_MS = 30_000;
/** Expired sessions are kept this long, so a late request hears "expired" rather than "sign in", in milliseconds. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

interface SessionRow {
  user_id: string;
  last_seen_ms: number;
  ends_at_ms: number;
}

export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Sessions in SQLite, so a restart of the gateway does not sign the ward out.
 * The token is 32 random bytes; the table holds its SHA-256 only.
 */
export function createSessionStore(
  db: SqliteDatabase,
  users: UserStore,
  clock: () => Date,
  policy: SessionPolicy,
): SessionStore {
  const insert = db.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_ms, ends_at_ms) VALUES (?, ?, ?, ?, ?)',
  );
  const find = db.prepare<[Buffer], SessionRow>(
    'SELECT user_id, last_seen_ms, ends_at_ms FROM sessions WHERE token_hash = ?',
  );
  const touch = db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const slideWriteMs = Math.min(SLIDE_WRITE_EVERY_MS, policy.idleMs / 10);
  const prune = db.prepare('DELETE FROM sessions WHERE ends_at_ms < ? OR last_seen_ms < ?');

  /** The session of a token hash at `now`, and when it was last used. */
  function lookup(tokenHash: Buffer, now: number): SessionLookup & { lastSeenMs?: number } {
    const row = find.get(tokenHash);
    if (!row) return { status: 'unknown' };
    if (now >= row.ends_at_ms) return { status: 'expired', reason: 'lifetime' };
    if (now - row.last_seen_ms >= policy.idleMs) return { status: 'expired', reason: 'idle' };
    const user = users.get(row.user_id);
    if (!user || user.disabledAt !== null) return { status: 'unknown' };
    return { status: 'active', user, tokenHash, lastSeenMs: row.last_seen_ms };
  }

  return {
    start(user) {
      const now = clock().getTime();
      prune.run(now - KEEP_EXPIRED_MS, now - policy.idleMs - KEEP_EXPIRED_MS);
      const token = randomBytes(32).toString('base64url');
      insert.run(hashToken(token), user.userId, now, now, now + policy.maxMs);
      return token;
    },
    isActive(token) {
      return lookup(hashToken(token), clock().getTime()).status === 'active';
    },
    resume(token, { slide } = { slide: true }) {
      const tokenHash = hashToken(token);
      const now = clock().getTime();
      const { lastSeenMs, ...session } = lookup(tokenHash, now);
      if (session.status !== 'active' || !slide) return session;
      if (now - (lastSeenMs ?? 0) >= slideWriteMs) {
        try {
          touch.run(now, tokenHash);
        } catch {
          // The database is busy (a CLI command holds the write lock): the next request slides it.
        }
      }
      return session;
    },
    end(token) {
      remove.run(hashToken(token));
    },
  };
}
