import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { uuidV7 } from '../kernel/events/ids.ts';
import { uuidToBytes } from '../gateway/eventStore/uuidBytes.ts';

/**
 * The ceiling the gateway's log is measured against: plain better-sqlite3
 * inserts into a table of the events table's shape and indexes (migration 1,
 * without its append-only triggers), WAL with synchronous=FULL, committed in
 * batches of the size the gateway's group commit achieved. Rows are made before
 * each batch's clock starts, so only SQLite is timed.
 */
export type RawLog = Database.Database;

export function openRawLog(path: string): RawLog {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const synchronous = db.pragma('synchronous', { simple: true });
  if (synchronous !== 2)
    throw new Error(`raw SQLite baseline: synchronous is ${String(synchronous)}, expected 2 (FULL)`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY, event_id BLOB NOT NULL, event_type TEXT NOT NULL,
      body TEXT NOT NULL, hash BLOB NOT NULL, device_key TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id);
    CREATE UNIQUE INDEX IF NOT EXISTS events_device_key ON events (device_key) WHERE device_key IS NOT NULL;
  `);
  return db;
}

type Row = [seq: number, eventId: Buffer, eventType: string, body: string, hash: Buffer, deviceKey: string];

/** Inserts `count` rows, bodies cycled from `bodies` (real event bodies, so the same JSON size), `batchSize` per transaction. */
export function insertInBatches(
  db: RawLog,
  count: number,
  batchSize: number,
  bodies: readonly string[],
  devices = 50,
): { elapsedMs: number; batches: number } {
  if (bodies.length === 0) throw new Error('raw SQLite baseline: no bodies to insert');
  const insert = db.prepare(
    'INSERT INTO events (seq, event_id, event_type, body, hash, device_key) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertBatch = db.transaction((rows: readonly Row[]) => {
    for (const row of rows) insert.run(...row);
  });
  let elapsedMs = 0;
  let batches = 0;
  for (let first = 1; first <= count; first += batchSize) {
    const rows: Row[] = [];
    for (let seq = first; seq < Math.min(first + batchSize, count + 1); seq += 1) {
      rows.push([
        seq,
        uuidToBytes(uuidV7()),
        'vital_signs_recorded',
        bodies[seq % bodies.length]!,
        randomBytes(32),
        `bench-monitor-${seq % devices}/vitals#${seq}`,
      ]);
    }
    const started = performance.now();
    insertBatch(rows);
    elapsedMs += performance.now() - started;
    batches += 1;
  }
  return { elapsedMs, batches };
}

export interface DiskUse {
  rows: number;
  fileBytes: number;
  avgBodyBytes: number;
  bytesPerRow: number;
  bytesPerRowAboveBody: number;
  pageSize: number;
  /** Of bytesPerRow, the free space left inside pages (SQLite's dbstat "unused"). */
  unusedPerRow: number;
  /** Bytes on disk per row, by table and index (SQLite's dbstat). */
  perRowByObject: Record<string, number>;
}

/** File size (database + WAL after a truncating checkpoint) per row, and above the body's own length. */
export function diskUse(db: Database.Database, path: string, table = 'events'): DiskUse {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const avgBodyBytes = (db.prepare(`SELECT avg(length(body)) AS n FROM ${table}`).get() as { n: number }).n;
  const fileBytes = statSync(path).size + fileSize(`${path}-wal`);
  const objects = db
    .prepare(
      'SELECT name, sum(pgsize) AS bytes, sum(unused) AS unused FROM dbstat GROUP BY name ORDER BY bytes DESC',
    )
    .all() as { name: string; bytes: number; unused: number }[];
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    rows,
    fileBytes,
    avgBodyBytes: round(avgBodyBytes),
    bytesPerRow: round(fileBytes / rows),
    bytesPerRowAboveBody: round(fileBytes / rows - avgBodyBytes),
    pageSize: db.pragma('page_size', { simple: true }) as number,
    unusedPerRow: round(objects.reduce((sum, object) => sum + object.unused, 0) / rows),
    perRowByObject: Object.fromEntries(objects.map(({ name, bytes }) => [name, round(bytes / rows)])),
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
