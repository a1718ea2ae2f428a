import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { EventLog } from '../eventStore/eventLog.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { applyEvent, type DocAccess, type Projection } from './projection.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds projections of every document type
export type AnyProjection = Projection<any>;

/**
 * The persisted read models: each projection's documents in SQLite, written in
 * the same transaction as the events they come from, so the read side never
 * runs ahead of or behind the log.
 */
/** Most documents kept parsed in memory for the write path (the busiest: latest vitals, devices, episodes). */
const CACHE_LIMIT = 10_000;

export class ProjectionStore {
  private readonly db: SqliteDatabase;
  readonly projections: readonly AnyProjection[];
  private readonly access: DocAccess;
  private readonly statements;
  /**
   * Parsed documents as last written by this process, so applying an event
   * does not read and parse them back from SQLite. Treated as read-only;
   * dropped whole when a transaction rolls back (`forgetUncommitted`).
   */
  private readonly cache = new Map<string, unknown>();
  /** The seq the checkpoints will advance to when the transaction commits. */
  private pendingCheckpoint: number | undefined;

  constructor(db: SqliteDatabase, projections: readonly AnyProjection[]) {
    this.db = db;
    this.projections = projections;
    this.statements = {
      get: db.prepare<[string, string], { doc: string }>(
        'SELECT doc FROM projection_docs WHERE projection = ? AND doc_id = ?',
      ),
      put: db.prepare(
        'INSERT INTO projection_docs (projection, doc_id, doc) VALUES (?, ?, ?) ON CONFLICT (projection, doc_id) DO UPDATE SET doc = excluded.doc',
      ),
      remove: db.prepare('DELETE FROM projection_docs WHERE projection = ? AND doc_id = ?'),
      all: db.prepare<[string], { doc: string }>(
        'SELECT doc FROM projection_docs WHERE projection = ? ORDER BY doc_id',
      ),
      clear: db.prepare('DELETE FROM projection_docs WHERE projection = ?'),
      checkpoint: db.prepare<[string], { version: number; last_seq: number }>(
        'SELECT version, last_seq FROM projection_checkpoints WHERE projection = ?',
      ),
      setCheckpoint: db.prepare(
        'INSERT INTO projection_checkpoints (projection, version, last_seq) VALUES (?, ?, ?) ON CONFLICT (projection) DO UPDATE SET version = excluded.version, last_seq = excluded.last_seq',
      ),
      advanceAll: db.prepare('UPDATE projection_checkpoints SET last_seq = ?'),
    };
    this.access = {
      get: (projection, docId) => this.getCached(projection, docId),
      put: (projection, docId, doc) => {
        this.statements.put.run(projection, docId, JSON.stringify(doc));
        this.remember(`${projection}\u0000${docId}`, doc);
      },
      remove: (projection, docId) => {
        this.statements.remove.run(projection, docId);
        this.remember(`${projection}\u0000${docId}`, undefined);
      },
    };
  }

  /**
   * Applies an appended event to every projection; call inside the append's
   * transaction, and `flushCheckpoint` before it commits.
   */
  apply(event: ClinicalEvent): void {
    for (const projection of this.projections) applyEvent(projection, event, this.access);
    this.pendingCheckpoint = event.seq;
  }

  /** Advances the checkpoints once for everything applied in this transaction. */
  flushCheckpoint(): void {
    if (this.pendingCheckpoint === undefined) return;
    this.statements.advanceAll.run(this.pendingCheckpoint);
    this.pendingCheckpoint = undefined;
  }

  /** After a rollback: what was cached or pending may not be in the database. */
  forgetUncommitted(): void {
    this.cache.clear();
    this.pendingCheckpoint = undefined;
  }

  /** A document through the write path's cache: do not modify what it returns. */
  getCached<Doc>(projection: string, docId: string): Doc | undefined {
    const key = `${projection}\u0000${docId}`;
    if (this.cache.has(key)) return this.cache.get(key) as Doc | undefined;
    const row = this.statements.get.get(projection, docId);
    const doc = row ? (JSON.parse(row.doc) as Doc) : undefined;
    this.remember(key, doc);
    return doc;
  }

  private remember(key: string, doc: unknown): void {
    this.cache.delete(key);
    this.cache.set(key, doc);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }

  /** A document as stored, freshly parsed (callers may keep or change it). */
  get<Doc>(projection: string, docId: string): Doc | undefined {
    const row = this.statements.get.get(projection, docId);
    return row ? (JSON.parse(row.doc) as Doc) : undefined;
  }

  all<Doc>(projection: string): Doc[] {
    return this.statements.all.all(projection).map((row) => JSON.parse(row.doc) as Doc);
  }

  /**
   * Brings every projection up to the log at start-up: a projection whose
   * version changed (or that never ran) is rebuilt; one that is behind catches up.
   */
  catchUp(log: EventLog, onProgress?: (done: number, total: number) => void): { rebuilt: string[] } {
    const stale = this.projections.filter((projection) => {
      const checkpoint = this.statements.checkpoint.get(projection.name);
      return !checkpoint || checkpoint.version !== projection.version;
    });
    if (stale.length > 0) {
      this.rebuild(log, onProgress);
      return { rebuilt: this.projections.map((projection) => projection.name) };
    }
    const from =
      Math.min(
        ...this.projections.map((projection) => this.statements.checkpoint.get(projection.name)!.last_seq),
      ) + 1;
    this.db.transaction(() => {
      for (const event of log.iterate(from)) this.apply(event);
      this.flushCheckpoint();
    })();
    return { rebuilt: [] };
  }

  /** Drops every document and replays the whole log (`nilecare replay`). */
  rebuild(log: EventLog, onProgress?: (done: number, total: number) => void): void {
    const total = log.count();
    this.cache.clear();
    this.db.transaction(() => {
      for (const projection of this.projections) {
        this.statements.clear.run(projection.name);
        this.statements.setCheckpoint.run(projection.name, projection.version, 0);
      }
      let done = 0;
      for (const event of log.iterate()) {
        this.apply(event);
        done += 1;
        if (onProgress && (done % 1000 === 0 || done === total)) onProgress(done, total);
      }
      this.flushCheckpoint();
    })();
  }
}

/** Replays events into memory with the same projections: the state as of a past moment. */
export function projectInMemory(
  projections: readonly AnyProjection[],
  events: Iterable<ClinicalEvent>,
): Map<string, Map<string, unknown>> {
  const state = new Map<string, Map<string, unknown>>(
    projections.map((projection) => [projection.name, new Map()]),
  );
  const access: DocAccess = {
    get: (projection, docId) => state.get(projection)!.get(docId),
    put: (projection, docId, doc) => void state.get(projection)!.set(docId, doc),
    remove: (projection, docId) => void state.get(projection)!.delete(docId),
  };
  for (const event of events) {
    for (const projection of projections) applyEvent(projection, event, access);
  }
  return state;
}
