import type { SqliteDatabase } from './openDatabase.ts';

export interface GroupCommitOptions<Item, Result> {
  db: SqliteDatabase;
  /** Writes one item inside the shared transaction; throwing rolls back this item only. */
  write: (item: Item) => Result;
  /** Runs inside the shared transaction after the last item, before it commits (one write per batch). */
  beforeCommit?: () => void;
  /** Runs after the transaction committed, with every item's result, before the callers hear back. */
  afterCommit?: (results: readonly Result[]) => void;
  /** Runs when a transaction fails as a whole, so in-memory state can be re-read from disk. */
  afterRollback?: () => void;
  /** Most items in one transaction; more wait for the next. */
  maxBatch?: number;
}

interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit<Item, Result> {
  /** Resolves once the item's transaction is durable on disk (synchronous=FULL). */
  submit(item: Item): Promise<Result>;
  /** Writes what is queued now; for shutdown. */
  flushNow(): void;
  readonly pending: number;
}

/**
 * Group commit (docs/architecture.md#guarantee-1): appends that arrive while the event
 * loop is busy share one SQLite transaction, so one fsync covers them all and
 * durability does not cost throughput. Each item runs in its own savepoint, so
 * a failing item is refused alone.
 */
export function createGroupCommit<Item, Result>(
  options: GroupCommitOptions<Item, Result>,
): GroupCommit<Item, Result> {
  const { db, write, beforeCommit, afterCommit, afterRollback, maxBatch = 2000 } = options;
  let queue: Pending<Item, Result>[] = [];
  let scheduled = false;

  const writeOne = db.transaction((item: Item) => write(item));

  function flush(): void {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      commitBatch(batch);
    }
  }

  function commitBatch(batch: Pending<Item, Result>[]): void {
    const outcomes: ({ ok: true; result: Result } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const pending of batch) {
          try {
            outcomes.push({ ok: true, result: writeOne(pending.item) });
          } catch (error) {
            afterRollback?.();
            outcomes.push({ ok: false, error });
          }
        }
        beforeCommit?.();
      })();
    } catch (error) {
      afterRollback?.();
      for (const pending of batch) pending.reject(error);
      return;
    }
    const results = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.result] : []));
    try {
      afterCommit?.(results);
    } finally {
      batch.forEach((pending, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) pending.resolve(outcome.result);
        else pending.reject(outcome.error);
      });
    }
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flushNow: flush,
    get pending() {
      return queue.length;
    },
  };
}
