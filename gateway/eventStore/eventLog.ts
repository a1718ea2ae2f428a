import { createHash } from 'node:crypto';
import { GENESIS_HASH, chainHash } from '../../kernel/events/chainHash.ts';
import { canonicalJson } from '../../kernel/events/canonical.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import type { SqliteDatabase } from './openDatabase.ts';
import { uuidToBytes } from './uuidBytes.ts';

export interface EventLogOptions {
  gatewayId: string;
  /** The gateway clock; injected so tests drive time. */
  clock: () => Date;
}

export type AppendOutcome =
  | { appended: true; event: ClinicalEvent }
  | { appended: false; duplicateOfSeq: number };

interface EventRow {
  seq: number;
  body: string;
  hash: Buffer;
}

/**
 * The gateway's append-only event log. `append` must run inside a transaction
 * (see groupCommit.ts): it assigns seq, recordedAt and the chain hash.
 */
export class EventLog {
  readonly gatewayId: string;
  private readonly clock: () => Date;
  private readonly db: SqliteDatabase;
  private readonly statements;
  private headSeq: number;
  private headHash: string;
  private lastRecordedAt: string | undefined;

  constructor(db: SqliteDatabase, options: EventLogOptions) {
    this.db = db;
    this.gatewayId = options.gatewayId;
    this.clock = options.clock;
    this.statements = {
      insert: db.prepare(
        'INSERT INTO events (seq, event_id, event_type, body, hash, device_key) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      byDeviceKey: db.prepare<[string], { seq: number; timestamp: string; body: string }>(
        "SELECT seq, json_extract(body, '$.timestamp') AS timestamp, body FROM events WHERE device_key = ?",
      ),
      last: db.prepare<[], EventRow>('SELECT seq, body, hash FROM events ORDER BY seq DESC LIMIT 1'),
      from: db.prepare<[number, number], EventRow>(
        'SELECT seq, body, hash FROM events WHERE seq >= ? ORDER BY seq LIMIT ?',
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
    };
    this.headSeq = 0;
    this.headHash = GENESIS_HASH;
    this.resync();
  }

  get head(): { seq: number; hash: string } {
    return { seq: this.headSeq, hash: this.headHash };
  }

  /**
   * Appends one validated draft. Input with a device key (a device reading's
   * (deviceId, deviceSeq), a lab result's identity) that is already in the
   * log is a retransmission, dropped, only when it is proven identical: the
   * same timestamp and the same content (docs/architecture.md#guarantee-1).
   * The same key with another timestamp is a new reading from a device whose
   * counter restarted; the same key and time with other content is a
   * correction or a conflict. Both are stored (never dropped) under a key that
   * includes what differs, and flagged on the event's metadata.
   */
  append(draft: EventDraft, deviceKey?: string): AppendOutcome {
    if (!this.db.inTransaction) throw new Error('EventLog.append must run inside a transaction');
    let key = deviceKey;
    let flag: Record<string, { earlierEventSeq: number }> = {};
    if (deviceKey !== undefined) {
      const existing = this.statements.byDeviceKey.get(deviceKey);
      if (existing) {
        // Input named by its source digest carries the gateway's receive time when the device gave
        // none: the digest alone proves it identical. Other input must also have the same time.
        const sameTime =
          typeof draft.metadata?.sourceDigest === 'string' || existing.timestamp === draft.timestamp;
        if (sameTime && sameContent(existing.body, draft))
          return { appended: false, duplicateOfSeq: existing.seq };
        key = sameTime
          ? `${deviceKey}@content:${contentDigest(draft).slice(0, 16)}`
          : `${deviceKey}@${draft.timestamp}`;
        const again = this.statements.byDeviceKey.get(key);
        if (again && sameContent(again.body, draft)) return { appended: false, duplicateOfSeq: again.seq };
        if (again) key = `${key}#${this.headSeq + 1}`;
        flag = sameTime
          ? { deviceKeyConflict: { earlierEventSeq: existing.seq } }
          : { deviceSeqReused: { earlierEventSeq: existing.seq } };
      }
    }
    const recordedAt = this.clock().toISOString();
    const checked = this.clockCheck(draft, recordedAt);
    const metadata = Object.keys(flag).length === 0 ? checked : { ...checked, ...flag };
    const seq = this.headSeq + 1;
    const unhashed: Omit<ClinicalEvent, 'hash'> = {
      ...draft,
      metadata,
      gatewayId: this.gatewayId,
      seq,
      recordedAt,
    };
    const body = canonicalJson(unhashed);
    const hash = chainHash(this.headHash, body);
    this.statements.insert.run(
      seq,
      uuidToBytes(draft.eventId),
      draft.eventType,
      body,
      Buffer.from(hash, 'hex'),
      key ?? null,
    );
    this.headSeq = seq;
    this.headHash = hash;
    this.lastRecordedAt = recordedAt;
    return { appended: true, event: { ...unhashed, hash } };
  }

  /** Restores the in-memory head after a rolled-back transaction. */
  resync(): void {
    const last = this.statements.last.get();
    this.headSeq = last?.seq ?? 0;
    this.headHash = last ? last.hash.toString('hex') : GENESIS_HASH;
    this.lastRecordedAt = last ? recordedAtOf(last.body) : undefined;
  }

  /** A gateway clock that goes backwards (reset after power loss) is flagged on the event (docs/architecture.md#the-event). */
  private clockCheck(draft: EventDraft, recordedAt: string): EventDraft['metadata'] {
    if (this.lastRecordedAt === undefined || recordedAt >= this.lastRecordedAt) return draft.metadata;
    return { ...draft.metadata, gatewayClockWentBackwards: { previousRecordedAt: this.lastRecordedAt } };
  }

  readFrom(seq: number, limit: number): ClinicalEvent[] {
    return this.statements.from.all(seq, limit).map(rowToEvent);
  }

  /** Every event from `fromSeq` on, read a page at a time, so the caller may write between pages. */
  *iterate(fromSeq = 1, pageSize = 1000): IterableIterator<ClinicalEvent> {
    let next = fromSeq;
    for (;;) {
      const page = this.readFrom(next, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      next = page.at(-1)!.seq + 1;
    }
  }

  count(): number {
    return this.statements.count.get()!.n;
  }
}

/** The head's recordedAt, for the clock check; a damaged body is verifyChain's to report, not a reason to fail opening. */
/**
 * What makes a retransmission the same input: the digest of the source the
 * driver read it from (`metadata.sourceDigest`, for input whose draft carries
 * the gateway's receive time), else the event's data, byte for byte in its
 * canonical form. Encrypted fields never compare equal, so such input is
 * stored again rather than dropped.
 */
function contentDigest(event: Pick<EventDraft, 'data' | 'metadata'>): string {
  const source = event.metadata?.sourceDigest;
  return typeof source === 'string'
    ? source
    : createHash('sha256').update(canonicalJson(event.data)).digest('hex');
}

function sameContent(storedBody: string, draft: EventDraft): boolean {
  return contentDigest(JSON.parse(storedBody) as EventDraft) === contentDigest(draft);
}

function recordedAtOf(body: string): string | undefined {
  try {
    const recordedAt = (JSON.parse(body) as Partial<ClinicalEvent>).recordedAt;
    return typeof recordedAt === 'string' ? recordedAt : undefined;
  } catch {
    return undefined;
  }
}

export function rowToEvent(row: EventRow): ClinicalEvent {
  return { ...(JSON.parse(row.body) as Omit<ClinicalEvent, 'hash'>), hash: row.hash.toString('hex') };
}
