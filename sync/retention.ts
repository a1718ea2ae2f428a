import type { SqliteDatabase } from '../gateway/pluginApi.ts';

/**
 * Sets the retention age the database enforces (migration 4): events older
 * than `days` that the hub acknowledged may be pruned; 0 turns pruning off
 * (the delete trigger then refuses every DELETE, as before retention existed).
 */
export function configureRetention(db: SqliteDatabase, days: number): void {
  const seconds = days > 0 ? Math.round(days * 86_400) : null;
  db.prepare('UPDATE sync_retention SET min_age_seconds = ? WHERE id = 1 AND min_age_seconds IS NOT ?').run(
    seconds,
    seconds,
  );
}

export interface PruneResult {
  /** Events deleted by this call. */
  pruned: number;
  /** The last pruned event (the chain anchor) after this call; 0: none ever. */
  prunedThroughSeq: number;
}

/**
 * Local retention (docs/architecture.md#guarantee-3): deletes, oldest first, the events
 * the hub has acknowledged (at or below the watermark) that were recorded
 * longer ago than the retention age, never the newest event, at most
 * `maxEvents` per call (one transaction). It stops at the first event that is
 * too young, not acknowledged or dead-lettered, so what is pruned is always a
 * prefix of the log and the chain verifies from the anchor the delete trigger
 * records. The age is measured against the database's own clock
 * (`julianday('now')`), the same clock the trigger checks with: the trigger,
 * not this function, is what guarantees nothing else is deleted.
 */
export function pruneAcknowledged(db: SqliteDatabase, maxEvents = 10_000): PruneResult {
  return db.transaction((): PruneResult => {
    const bounds = db
      .prepare<[number], { anchor: number; upTo: number | null; minAge: number | null }>(
        `SELECT a.seq AS anchor, r.min_age_seconds AS minAge,
                MIN(r.acked_through_seq, (SELECT MAX(seq) FROM events) - 1, a.seq + ?) AS upTo
         FROM chain_anchor a, sync_retention r WHERE a.id = 1 AND r.id = 1`,
      )
      .get(maxEvents)!;
    if (bounds.minAge === null || bounds.upTo === null || bounds.upTo <= bounds.anchor)
      return { pruned: 0, prunedThroughSeq: bounds.anchor };
    const firstKept = db
      .prepare<[number, number, number], { seq: number | null }>(
        `SELECT MIN(seq) AS seq FROM events WHERE seq > ? AND seq <= ? AND (
           julianday(json_extract(body, '$.recordedAt')) <= julianday('now') - ? / 86400.0) IS NOT 1`,
      )
      .get(bounds.anchor, bounds.upTo, bounds.minAge)!.seq;
    const dead = db
      .prepare<[number, number], { seq: number | null }>(
        'SELECT MIN(seq) AS seq FROM sync_dead_letters WHERE seq > ? AND seq <= ?',
      )
      .get(bounds.anchor, bounds.upTo)!.seq;
    const through = Math.min(bounds.upTo, (firstKept ?? Infinity) - 1, (dead ?? Infinity) - 1);
    if (through <= bounds.anchor) return { pruned: 0, prunedThroughSeq: bounds.anchor };
    const { changes } = db
      .prepare('DELETE FROM events WHERE seq > ? AND seq <= ?')
      .run(bounds.anchor, through);
    return { pruned: changes, prunedThroughSeq: bounds.anchor + changes };
  })();
}

/**
 * Pruning when the disk is low (docs/operations.md, "When the disk fills"):
 * the same prefix of hub-acknowledged events as `pruneAcknowledged`, without
 * waiting for the retention age, and whether retention is on or off. The age
 * the database checks is set to zero for this one transaction and put back
 * before it commits; every other rule of the delete trigger still holds, so
 * an event the hub has not acknowledged, a dead letter or the newest event is
 * never removed.
 */
export function pruneAcknowledgedEarly(db: SqliteDatabase, maxEvents = 10_000): PruneResult {
  return db.transaction((): PruneResult => {
    const { minAge } = db
      .prepare<[], { minAge: number | null }>(
        'SELECT min_age_seconds AS minAge FROM sync_retention WHERE id = 1',
      )
      .get()!;
    const setAge = db.prepare('UPDATE sync_retention SET min_age_seconds = ? WHERE id = 1');
    setAge.run(0);
    const result = pruneAcknowledged(db, maxEvents);
    setAge.run(minAge);
    return result;
  })();
}

/**
 * Frees room for new events: prunes acknowledged events early, `chunk` per
 * transaction, yielding between transactions so appends are not held up, up
 * to `maxEvents` in one call (the storage guard measures again and calls
 * once more if the disk is still low). Resolves with the events removed.
 */
export async function pruneForSpace(
  db: SqliteDatabase,
  { chunk = 5000, maxEvents = 50_000 }: { chunk?: number; maxEvents?: number } = {},
): Promise<number> {
  let total = 0;
  while (total < maxEvents && db.open) {
    const { pruned } = pruneAcknowledgedEarly(db, Math.min(chunk, maxEvents - total));
    total += pruned;
    if (pruned === 0) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The deletes went through the WAL, which keeps its size after a checkpoint: give that back too.
  if (total > 0 && db.open) db.pragma('wal_checkpoint(TRUNCATE)');
  return total;
}

/** Bytes SQLite holds free inside the file (pages left by pruning), reused by the next events. */
export function reusableBytes(db: SqliteDatabase): number {
  if (!db.open) return 0;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return free * pageSize;
}
