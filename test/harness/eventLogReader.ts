import Database from 'better-sqlite3';
import { dataPaths } from '../../gateway/openGatewayStore.ts';

/** An event row as the log stores it, with its body parsed. */
export interface StoredEvent {
  seq: number;
  eventId: string;
  eventType: string;
  /** The gateway clock at append. */
  recordedAt: string;
  patientId?: string;
  causationId?: string;
  metadata?: Record<string, unknown>;
  hash: string;
  deviceKey: string | null;
  data: Record<string, unknown>;
}

export interface QuarantineRow {
  id: number;
  channel: string;
  origin: string;
  reasonCode: string;
  reason: string;
  issues: { field: string; rule: string; message: string }[];
  rawSize: number;
}

interface EventRow {
  seq: number;
  body: string;
  hash: Buffer;
  device_key: string | null;
}

function toStored(row: EventRow): StoredEvent {
  const body = JSON.parse(row.body) as Omit<StoredEvent, 'hash' | 'deviceKey'>;
  return { ...body, seq: row.seq, hash: row.hash.toString('hex'), deviceKey: row.device_key };
}

/**
 * A second, read-only SQLite connection to a gateway's database. It sees only
 * what the gateway has committed, never a transaction still open on the
 * gateway's own connection, so "it is here" means "it was committed".
 */
export function openEventLogReader(dataDir: string) {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  const statements = {
    byDeviceKey: db.prepare<[string], EventRow>(
      'SELECT seq, body, hash, device_key FROM events WHERE device_key = ?',
    ),
    bySeq: db.prepare<[number], EventRow>('SELECT seq, body, hash, device_key FROM events WHERE seq = ?'),
    ofType: db.prepare<[string, number], EventRow>(
      'SELECT seq, body, hash, device_key FROM events WHERE event_type = ? AND seq > ? ORDER BY seq',
    ),
    all: db.prepare<[], EventRow>('SELECT seq, body, hash, device_key FROM events ORDER BY seq'),
    headSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events'),
    quarantineAfter: db.prepare<
      [number],
      {
        id: number;
        channel: string;
        origin: string;
        reason_code: string;
        reason: string;
        issues: string | null;
        raw_size: number;
      }
    >(
      'SELECT id, channel, origin, reason_code, reason, issues, raw_size FROM quarantine WHERE id > ? ORDER BY id',
    ),
    quarantineHead: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM quarantine'),
  };
  return {
    db,
    /** Every event stored for this device key (the unique index allows at most one). */
    byDeviceKey: (key: string): StoredEvent[] => statements.byDeviceKey.all(key).map(toStored),
    bySeq: (seq: number): StoredEvent | undefined => {
      const row = statements.bySeq.get(seq);
      return row ? toStored(row) : undefined;
    },
    /** Events of a type, optionally only those after a seq. */
    ofType: (eventType: string, afterSeq = 0): StoredEvent[] =>
      statements.ofType.all(eventType, afterSeq).map(toStored),
    all: (): StoredEvent[] => statements.all.all().map(toStored),
    headSeq: (): number => statements.headSeq.get()?.seq ?? 0,
    quarantineHead: (): number => statements.quarantineHead.get()?.id ?? 0,
    /** Quarantine rows written after the row with this id. */
    quarantinedAfter: (id: number): QuarantineRow[] =>
      statements.quarantineAfter.all(id).map((row) => ({
        id: row.id,
        channel: row.channel,
        origin: row.origin,
        reasonCode: row.reason_code,
        reason: row.reason,
        issues: row.issues ? (JSON.parse(row.issues) as QuarantineRow['issues']) : [],
        rawSize: row.raw_size,
      })),
    close: () => db.close(),
  };
}

export type EventLogReader = ReturnType<typeof openEventLogReader>;
