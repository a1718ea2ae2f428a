import { type SyncLane, syncLanes } from './lanes.ts';
import { estimatedDrainSeconds } from './sendRate.ts';
import type { DeadLetter } from './syncStore.ts';
import type { SqliteDatabase } from '../gateway/pluginApi.ts';

/** How often a running engine writes its heartbeat, in milliseconds. */
export const heartbeatEveryMs = 5000;
/** A heartbeat older than this means the engine is not running (its process died), in milliseconds. */
const staleAfterMs = 3 * heartbeatEveryMs;

export interface LaneStatus {
  lane: SyncLane;
  /** The last seq of this lane Kafka acknowledged (or dead-lettered). */
  deliveredThroughSeq: number;
  /** Events of this lane waiting to be sent. */
  backlog: number;
  /** recordedAt of the oldest of them, null when none wait. */
  oldestUnsyncedAt: string | null;
}

/** What `GET /api/v1/sync`, the Prometheus gauges and `nilecare sync status` show (docs/sync.md). */
export interface SyncStatus {
  /** When this was read (the gateway clock). */
  asOf: string;
  /** running: heartbeat fresh; stopped: stopped cleanly; not running: never started or its process died. */
  engine: 'running' | 'stopped' | 'not running';
  brokers: string[];
  connected: boolean;
  connectedChangedAt: string | null;
  lastSuccessfulSendAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  headSeq: number;
  /** Every event at or below this seq was acknowledged by Kafka (the retention watermark). */
  acknowledgedThroughSeq: number;
  /** The last event retention pruned (0: none). */
  prunedThroughSeq: number;
  lanes: LaneStatus[];
  backlog: number;
  oldestUnsyncedAt: string | null;
  oldestUnsyncedSeconds: number | null;
  sendRate: { eventsPerSecond: number; bytesPerSecond: number };
  /** backlog / send rate; null while nothing moves (offline); 0 when nothing waits. */
  estimatedDrainSeconds: number | null;
  deadLetters: { count: number; recent: DeadLetter[] };
}

interface StateRow {
  engine: string;
  brokers: string | null;
  connected: number;
  connected_changed_at: string | null;
  last_success_at: string | null;
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: string | null;
  events_per_second: number;
  bytes_per_second: number;
  heartbeat_at: string | null;
}

interface DeadLetterRow {
  seq: number;
  event_id: string;
  event_type: string;
  lane: SyncLane;
  topic: string;
  record_bytes: number;
  reason_code: string;
  reason: string;
  failed_at: string;
  hub_notified: number;
}

/**
 * Reads the sync state from the database: the same answer in the gateway
 * and in a CLI process beside it (WAL lets both read while the gateway
 * writes). Backlog counts are index ranges over (lane, seq) after each cursor.
 */
export function readSyncStatus(db: SqliteDatabase, now: Date, recentDeadLetters = 20): SyncStatus {
  return db.transaction((): SyncStatus => {
    const state = db.prepare<[], StateRow>('SELECT * FROM sync_state WHERE id = 1').get()!;
    const lanes = syncLanes.map((lane) => laneStatus(db, lane));
    const oldest = lanes
      .map((lane) => lane.oldestUnsyncedAt)
      .filter((at): at is string => at !== null)
      .sort()[0];
    const backlog = lanes.reduce((sum, lane) => sum + lane.backlog, 0);
    const running = isRunning(state, now);
    const eventsPerSecond = running ? state.events_per_second : 0;
    const retention = db
      .prepare<[], { acked: number; pruned: number; head: number | null }>(
        `SELECT r.acked_through_seq AS acked, a.seq AS pruned, (SELECT MAX(seq) FROM events) AS head
         FROM sync_retention r, chain_anchor a WHERE r.id = 1 AND a.id = 1`,
      )
      .get()!;
    const deadLetters = db
      .prepare<[number], DeadLetterRow>('SELECT * FROM sync_dead_letters ORDER BY seq DESC LIMIT ?')
      .all(recentDeadLetters)
      .map(toDeadLetter);
    const deadCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sync_dead_letters').get()!.n;
    return {
      asOf: now.toISOString(),
      engine: running ? 'running' : state.engine === 'stopped' ? 'stopped' : 'not running',
      brokers: state.brokers ? state.brokers.split(',') : [],
      connected: running && state.connected === 1,
      connectedChangedAt: state.connected_changed_at,
      lastSuccessfulSendAt: state.last_success_at,
      lastError:
        state.last_error_code && state.last_error && state.last_error_at
          ? { code: state.last_error_code, message: state.last_error, at: state.last_error_at }
          : null,
      headSeq: retention.head ?? retention.pruned,
      acknowledgedThroughSeq: retention.acked,
      prunedThroughSeq: retention.pruned,
      lanes,
      backlog,
      oldestUnsyncedAt: oldest ?? null,
      oldestUnsyncedSeconds:
        oldest === undefined ? null : Math.max(0, (now.getTime() - Date.parse(oldest)) / 1000),
      sendRate: { eventsPerSecond, bytesPerSecond: running ? state.bytes_per_second : 0 },
      estimatedDrainSeconds: estimatedDrainSeconds(backlog, eventsPerSecond),
      deadLetters: { count: deadCount, recent: deadLetters },
    };
  })();
}

function laneStatus(db: SqliteDatabase, lane: SyncLane): LaneStatus {
  const row = db
    .prepare<[SyncLane, SyncLane], { cursor: number; backlog: number; first: number | null }>(
      `SELECT c.delivered_through_seq AS cursor,
              (SELECT COUNT(*) FROM sync_lane_events l WHERE l.lane = c.lane AND l.seq > c.delivered_through_seq) AS backlog,
              (SELECT MIN(l.seq) FROM sync_lane_events l WHERE l.lane = ? AND l.seq > c.delivered_through_seq) AS first
       FROM sync_cursors c WHERE c.lane = ?`,
    )
    .get(lane, lane)!;
  const oldest =
    row.first === null
      ? undefined
      : db
          .prepare<[number], { at: string | null }>(
            "SELECT json_extract(body, '$.recordedAt') AS at FROM events WHERE seq = ?",
          )
          .get(row.first);
  return {
    lane,
    deliveredThroughSeq: row.cursor,
    backlog: row.backlog,
    oldestUnsyncedAt: oldest?.at ?? null,
  };
}

function isRunning(state: StateRow, now: Date): boolean {
  if (state.engine !== 'running' || !state.heartbeat_at) return false;
  return now.getTime() - Date.parse(state.heartbeat_at) <= staleAfterMs;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    seq: row.seq,
    eventId: row.event_id,
    eventType: row.event_type,
    lane: row.lane,
    topic: row.topic,
    recordBytes: row.record_bytes,
    reasonCode: row.reason_code,
    reason: row.reason,
    failedAt: row.failed_at,
    hubNotified: row.hub_notified === 1,
  };
}
