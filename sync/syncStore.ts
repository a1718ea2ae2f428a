import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { type SyncLane, syncLanes } from './lanes.ts';
import { type SqliteDatabase, rowToEvent } from '../gateway/pluginApi.ts';

/** A record Kafka refused for good, as the local dead-letter table keeps it. */
export interface DeadLetter {
  seq: number;
  eventId: string;
  eventType: string;
  lane: SyncLane;
  topic: string;
  recordBytes: number;
  reasonCode: string;
  reason: string;
  failedAt: string;
  hubNotified: boolean;
}

/** What the engine says about itself in `sync_state`, for readers in this and other processes. */
export interface EngineStatePatch {
  engine?: 'running' | 'stopped';
  brokers?: string;
  connected?: boolean;
  connectedChangedAt?: string;
  lastSuccessAt?: string;
  lastError?: { code: string; message: string; at: string } | null;
  eventsPerSecond?: number;
  bytesPerSecond?: number;
  heartbeatAt?: string;
}

const stateColumns: Record<string, string> = {
  engine: 'engine',
  brokers: 'brokers',
  connected: 'connected',
  connectedChangedAt: 'connected_changed_at',
  lastSuccessAt: 'last_success_at',
  eventsPerSecond: 'events_per_second',
  bytesPerSecond: 'bytes_per_second',
  heartbeatAt: 'heartbeat_at',
};

/**
 * The sync engine's tables (migration 4), on the gateway's own database: the
 * cursors advance in the same SQLite file as the log, in one transaction with
 * the watermark, only after Kafka acknowledged (docs/architecture.md#guarantee-4).
 */
export function createSyncStore(db: SqliteDatabase) {
  const statements = {
    cursors: db.prepare<[], { lane: SyncLane; delivered_through_seq: number }>(
      'SELECT lane, delivered_through_seq FROM sync_cursors',
    ),
    pending: db.prepare<[SyncLane, number], { seq: number }>(
      'SELECT seq FROM sync_lane_events WHERE lane = ? AND seq > ? ORDER BY seq LIMIT 1',
    ),
    // An index range over (lane, seq), then the event by its rowid: never a scan of the log.
    batch: db.prepare<[SyncLane, number, number], { seq: number; body: string; hash: Buffer }>(
      `SELECT e.seq, e.body, e.hash FROM sync_lane_events l JOIN events e ON e.seq = l.seq
       WHERE l.lane = ? AND l.seq > ? ORDER BY l.seq LIMIT ?`,
    ),
    advance: db.prepare<[number, string, SyncLane, number]>(
      'UPDATE sync_cursors SET delivered_through_seq = ?, delivered_at = ? WHERE lane = ? AND delivered_through_seq <= ?',
    ),
    watermark: db.prepare(
      'UPDATE sync_retention SET acked_through_seq = (SELECT through_seq FROM sync_ack_watermark) WHERE id = 1',
    ),
    deadLetter: db.prepare(
      `INSERT INTO sync_dead_letters (seq, event_id, event_type, lane, topic, record_bytes, reason_code, reason, failed_at, hub_notified)
       VALUES (@seq, @eventId, @eventType, @lane, @topic, @recordBytes, @reasonCode, @reason, @failedAt, @hubNotified)
       ON CONFLICT (seq) DO NOTHING`,
    ),
    lastError: db.prepare<[string | null, string | null, string | null]>(
      'UPDATE sync_state SET last_error_code = ?, last_error = ?, last_error_at = ? WHERE id = 1',
    ),
  };

  function updateState(patch: EngineStatePatch): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [name, value] of Object.entries(patch)) {
      const column = stateColumns[name];
      if (!column || value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(typeof value === 'boolean' ? Number(value) : (value as string | number));
    }
    if (sets.length > 0) db.prepare(`UPDATE sync_state SET ${sets.join(', ')} WHERE id = 1`).run(...values);
    if (patch.lastError !== undefined) {
      const error = patch.lastError;
      statements.lastError.run(error?.code ?? null, error?.message ?? null, error?.at ?? null);
    }
  }

  return {
    /** The last seq delivered per lane. */
    cursors(): Record<SyncLane, number> {
      const cursors = Object.fromEntries(syncLanes.map((lane) => [lane, 0])) as Record<SyncLane, number>;
      for (const row of statements.cursors.all()) cursors[row.lane] = row.delivered_through_seq;
      return cursors;
    },

    /** The lanes that have an event after their cursor. */
    pendingLanes(cursors: Readonly<Record<SyncLane, number>>): Set<SyncLane> {
      return new Set(syncLanes.filter((lane) => statements.pending.get(lane, cursors[lane]) !== undefined));
    },

    /** The next events of a lane after `afterSeq`, in seq order, each with the body the log stored. */
    readLane(lane: SyncLane, afterSeq: number, limit: number): { event: ClinicalEvent; body: string }[] {
      return statements.batch
        .all(lane, afterSeq, limit)
        .map((row) => ({ event: rowToEvent(row), body: row.body }));
    },

    /**
     * After Kafka acknowledged a lane's events through `throughSeq`: the
     * cursor, the hub-acknowledged watermark and the engine's state, in one
     * transaction. A cursor never moves back (a late, duplicate commit is a no-op).
     */
    markDelivered(
      lane: SyncLane,
      throughSeq: number,
      state: EngineStatePatch & { lastSuccessAt: string },
    ): void {
      db.transaction(() => {
        statements.advance.run(throughSeq, state.lastSuccessAt, lane, throughSeq);
        statements.watermark.run();
        updateState(state);
      })();
    },

    /** A record Kafka refused for good: kept with the reason, and the lane moves past it. */
    markDeadLettered(letter: DeadLetter): void {
      db.transaction(() => {
        statements.deadLetter.run({ ...letter, hubNotified: Number(letter.hubNotified) });
        statements.advance.run(letter.seq, letter.failedAt, letter.lane, letter.seq);
        statements.watermark.run();
      })();
    },

    updateState,
  };
}

export type SyncStore = ReturnType<typeof createSyncStore>;
