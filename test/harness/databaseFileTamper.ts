import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Every offset at which `needle` occurs in `haystack`. */
export function offsetsOf(haystack: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

export interface StoredValue {
  /** Bytes of the value as stored: text of a body, or a blob such as a hash. */
  bytes: Buffer | string;
  /** Which byte of `bytes` to change. */
  offsetInValue?: number;
  /** XOR mask applied to that byte. */
  mask?: number;
  /** A query returning the stored value (one row, one column): how the live copy is told from stale ones. */
  readBack: string;
}

function readBack(path: string, sql: string): unknown {
  const db = new Database(path);
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b;
}

/**
 * Flips bits of one byte of a value inside a closed SQLite file, as an
 * attacker or a failing disk would, behind SQLite's back. The database must be
 * closed first so the WAL has been checkpointed into the file. SQLite leaves
 * stale copies of moved cells in free space after a page split, so the same
 * bytes can occur more than once: each occurrence is tried on a scratch copy
 * and the one that changes what `readBack` returns (the live copy) is flipped.
 * Returns the file offset changed.
 */
export function flipByteOfStoredValue(path: string, value: StoredValue): number {
  const { offsetInValue = 0, mask = 0x01 } = value;
  const original = readFileSync(path);
  const needle = typeof value.bytes === 'string' ? Buffer.from(value.bytes, 'utf8') : value.bytes;
  const before = readBack(path, value.readBack);
  const scratch = `${path}.tamper-probe`;
  const live: number[] = [];
  try {
    for (const start of offsetsOf(original, needle)) {
      const offset = start + offsetInValue;
      const candidate = Buffer.from(original);
      candidate[offset] = candidate[offset]! ^ mask;
      writeFileSync(scratch, candidate);
      if (!sameValue(readBack(scratch, value.readBack), before)) live.push(offset);
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
  }
  if (live.length !== 1) {
    throw new Error(
      `expected one live copy of the value in ${path}, found ${live.length} (is the database closed, its WAL checkpointed?)`,
    );
  }
  const tampered = Buffer.from(original);
  tampered[live[0]!] = tampered[live[0]!]! ^ mask;
  writeFileSync(path, tampered);
  return live[0]!;
}
