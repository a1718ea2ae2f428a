import { GENESIS_HASH, chainHash } from '../../kernel/events/chainHash.ts';
import type { SqliteDatabase } from './openDatabase.ts';
import { bytesToUuid } from './uuidBytes.ts';

export type ChainProblemKind =
  | 'missing'
  | 'hash_mismatch'
  | 'seq_mismatch'
  | 'event_id_mismatch'
  | 'unreadable'
  | 'storage_corrupt';

export interface ChainProblem {
  /** The seq at which the chain first fails. */
  seq: number;
  kind: ChainProblemKind;
  detail: string;
}

/**
 * `events` counts the events walked and found sound; `prunedThroughSeq`, set
 * once retention has pruned, is the last pruned event, whose hash anchors the chain.
 */
export type ChainVerdict = (
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; problem: ChainProblem }
) & { prunedThroughSeq?: number };

interface Row {
  seq: number;
  event_id: Buffer;
  body: string;
  hash: Buffer;
}

/**
 * Walks the log from seq 1 (or from the event after the chain anchor, once
 * retention has pruned the oldest events) and names the first broken or
 * missing link: a gap in seq, a body whose hash does not match, a hash that
 * does not follow the previous one, or storage SQLite itself cannot read.
 */
export function verifyChain(db: SqliteDatabase, onProgress?: (seq: number) => void): ChainVerdict {
  const anchor = chainAnchor(db);
  let previousHash = anchor.hash;
  let expectedSeq = anchor.seq + 1;
  const walked = () => expectedSeq - 1 - anchor.seq;
  const pruned = anchor.seq > 0 ? { prunedThroughSeq: anchor.seq } : {};
  try {
    for (const row of db
      .prepare<[], Row>('SELECT seq, event_id, body, hash FROM events ORDER BY seq')
      .iterate()) {
      const problem = checkLink(row, expectedSeq, previousHash);
      if (problem) return { ok: false, events: walked(), problem, ...pruned };
      previousHash = row.hash.toString('hex');
      expectedSeq += 1;
      if (onProgress && row.seq % 1000 === 0) onProgress(row.seq);
    }
  } catch (error) {
    const detail = `SQLite could not read the log: ${(error as Error).message}`;
    return {
      ok: false,
      events: walked(),
      problem: { seq: expectedSeq, kind: 'storage_corrupt', detail },
      ...pruned,
    };
  }
  return { ok: true, events: walked(), headHash: previousHash, ...pruned };
}

/**
 * The last event retention pruned and its hash (migration 4's chain_anchor),
 * maintained by the database's own delete trigger; seq 0 and the genesis hash
 * when nothing was pruned or the table is not there (an older schema).
 */
export function chainAnchor(db: SqliteDatabase): { seq: number; hash: string } {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_anchor'")
    .get();
  const row = table
    ? db
        .prepare<[], { seq: number; hash: Buffer | null }>('SELECT seq, hash FROM chain_anchor WHERE id = 1')
        .get()
    : undefined;
  if (!row || row.seq === 0) return { seq: 0, hash: GENESIS_HASH };
  return { seq: row.seq, hash: row.hash ? row.hash.toString('hex') : GENESIS_HASH };
}

function checkLink(row: Row, expectedSeq: number, previousHash: string): ChainProblem | undefined {
  if (row.seq !== expectedSeq) {
    return {
      seq: expectedSeq,
      kind: 'missing',
      detail: `event ${expectedSeq} is missing (next stored is ${row.seq})`,
    };
  }
  const storedHash = row.hash.toString('hex');
  const computed = chainHash(previousHash, row.body);
  if (computed !== storedHash) {
    return {
      seq: row.seq,
      kind: 'hash_mismatch',
      detail: `stored hash ${storedHash.slice(0, 12)}… but body and previous hash give ${computed.slice(0, 12)}…`,
    };
  }
  let body: { seq?: unknown; eventId?: unknown };
  try {
    body = JSON.parse(row.body) as { seq?: unknown; eventId?: unknown };
  } catch {
    return { seq: row.seq, kind: 'unreadable', detail: 'the event body is not JSON' };
  }
  if (body.seq !== row.seq)
    return { seq: row.seq, kind: 'seq_mismatch', detail: `the body says seq ${String(body.seq)}` };
  if (body.eventId !== bytesToUuid(row.event_id)) {
    return { seq: row.seq, kind: 'event_id_mismatch', detail: 'the indexed eventId differs from the body' };
  }
  return undefined;
}
