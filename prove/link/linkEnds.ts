import Database from 'better-sqlite3';
import type { Admin } from 'kafkajs';
import type pg from 'pg';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { readSyncStatus } from '../../sync/syncStatus.ts';
import type { HubEventRow, LinkEnds, LoggedEvent } from './linkInvariants.ts';

/** Records on the topics (sum of the partitions' high watermarks): duplicates included. */
export async function recordsOn(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics)
    for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
  return total;
}

/** The gateway's side, on a read-only connection beside the running gateway (WAL). */
export function readGatewaySide(dataDir: string) {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    const gatewayLog = db
      .prepare<[], { seq: number; event_id: string; hash: Buffer }>(
        "SELECT seq, json_extract(body, '$.eventId') AS event_id, hash FROM events ORDER BY seq",
      )
      .all()
      .map((row): LoggedEvent => ({ seq: row.seq, eventId: row.event_id, hash: row.hash.toString('hex') }));
    const sync = readSyncStatus(db, new Date());
    return {
      gatewayLog,
      backlog: sync.backlog,
      deadLetters: sync.deadLetters.count,
      lastErrorAt: sync.lastError?.at,
    };
  } finally {
    db.close();
  }
}

/** The hub's side of one gateway, from its PostgreSQL. */
export async function readHubSide(pool: pg.Pool, gatewayId: string) {
  const events = await pool.query<{ seq: string; event_id: string; status: string; chain: string }>(
    'SELECT seq, event_id, status, chain FROM gateway_events WHERE gateway_id = $1 ORDER BY seq',
    [gatewayId],
  );
  const chain = await pool.query<{ head_seq: string; head_hash: string }>(
    'SELECT head_seq, head_hash FROM gateway_chains WHERE gateway_id = $1',
    [gatewayId],
  );
  const counts = await pool.query<{ rejections: number; gaps: number }>(
    `SELECT (SELECT count(*)::int FROM ingest_rejections WHERE gateway_id = $1) AS rejections,
            (SELECT count(*)::int FROM sequence_gaps WHERE gateway_id = $1 AND filled_at IS NULL) AS gaps`,
    [gatewayId],
  );
  const row = chain.rows[0];
  return {
    hubEvents: events.rows.map(
      (event): HubEventRow => ({
        seq: Number(event.seq),
        eventId: event.event_id,
        status: event.status,
        chain: event.chain,
      }),
    ),
    hubChain: row ? { headSeq: Number(row.head_seq), headHash: row.head_hash } : undefined,
    hubRejections: counts.rows[0]?.rejections ?? 0,
    hubOpenGaps: counts.rows[0]?.gaps ?? 0,
  };
}

export type { LinkEnds };
