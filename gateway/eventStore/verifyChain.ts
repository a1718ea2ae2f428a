import { GENESIS_HASH, chainHash } from '../events/chainHash.ts';
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

export type ChainVerdict =
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; problem: ChainProblem };

interface Row {
  seq: number;
  event_id: Buffer;
  body: string;
  hash: Buffer;
}

/**
 * Walks the log from seq 1 and names the first broken or missing link: a gap
 * in seq, a body whose hash does not match, a hash that does not follow the
 * previous one, or storage SQLite itself cannot read.
 */
export function verifyChain(db: SqliteDatabase, onProgress?: (seq: number) => void): ChainVerdict {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  try {
    for (const row of db
      .prepare<[], Row>('SELECT seq, event_id, body, hash FROM events ORDER BY seq')
      .iterate()) {
      const problem = checkLink(row, expectedSeq, previousHash);
      if (problem) return { ok: false, events: expectedSeq - 1, problem };
      previousHash = row.hash.toString('hex');
      expectedSeq += 1;
      if (onProgress && row.seq % 1000 === 0) onProgress(row.seq);
    }
  } catch (error) {
    const detail = `SQLite could not read the log: ${(error as Error).message}`;
    return {
      ok: false,
      events: expectedSeq - 1,
      problem: { seq: expectedSeq, kind: 'storage_corrupt', detail },
    };
  }
  return { ok: true, events: expectedSeq - 1, headHash: previousHash };
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
