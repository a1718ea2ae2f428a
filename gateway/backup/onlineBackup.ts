import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { verifyChain } from '../eventStore/verifyChain.ts';
import { PRIVATE_FOLDER_MODE, privateFile } from '../storage/privateFiles.ts';
import {
  backupFileName,
  backupsBeyondRetention,
  listBackups,
  partialFileName,
  removeAbandonedPartials,
  withSqliteFiles,
} from './backupFiles.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  /** Events in the copy and the hash its chain ends in, as verified after writing. */
  events: number;
  headHash: string;
  sha256: string;
  /** Older backups deleted to keep the newest `keep`. */
  pruned: string[];
}

/**
 * Copies the live database with SQLite's online backup API (the gateway keeps
 * writing meanwhile), into `<file>.partial-<pid>`, fsyncs it, verifies the
 * copy's hash chain, and only then renames it into place: a crash or a full
 * disk never leaves a backup that looks whole and is not. A failed run
 * deletes its partial copy; one that was killed leaves it for the next run,
 * which deletes it first. Every copy is 0600, whatever the umask.
 *
 * National IDs and phone numbers are encrypted field by field in the log
 * and read models (kernel/phi/), and the PHI keys live in a separate file
 * that is not copied, so a backup holds ciphertext only.
 */
export async function backupDatabase(
  db: SqliteDatabase,
  options: { dir: string; keep: number; clock: () => Date },
): Promise<BackupResult> {
  mkdirSync(options.dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  removeAbandonedPartials(options.dir, { keepPid: process.pid });
  const file = join(options.dir, backupFileName(options.clock()));
  const partial = partialFileName(file, process.pid);
  try {
    // Created 0600 before SQLite writes into it: the copy holds what the database holds.
    privateFile(partial);
    await db.backup(partial);
    standalone(partial);
    fsyncFile(partial);
    const verdict = verifyBackupFile(partial);
    renameSync(partial, file);
    fsyncFile(dirname(file));
    const pruned = backupsBeyondRetention(listBackups(options.dir), options.keep);
    for (const old of pruned) rmSync(old, { force: true });
    return {
      file,
      bytes: statSync(file).size,
      events: verdict.events,
      headHash: verdict.headHash,
      sha256: sha256Of(file),
      pruned,
    };
  } catch (error) {
    for (const path of withSqliteFiles(partial)) rmSync(path, { force: true });
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('GW_ERR_BACKUP_FAILED', [file, (error as Error).message]);
  }
}

/**
 * Opens a backup read-only and walks its hash chain; refuses a file that is
 * not a gateway database or whose chain is broken.
 */
export function verifyBackupFile(file: string): { events: number; headHash: string } {
  let copy: SqliteDatabase;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new GatewayError('GW_ERR_BACKUP_INVALID', [file, (error as Error).message]);
  }
  try {
    const hasLog = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (!hasLog) throw new GatewayError('GW_ERR_BACKUP_INVALID', [file, 'it holds no event log']);
    const verdict = verifyChain(copy);
    if (!verdict.ok)
      throw new GatewayError('GW_ERR_BACKUP_INVALID', [
        file,
        `hash chain broken at seq ${verdict.problem.seq} (${verdict.problem.kind}): ${verdict.problem.detail}`,
      ]);
    return { events: verdict.events, headHash: verdict.headHash };
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('GW_ERR_BACKUP_INVALID', [file, (error as Error).message]);
  } finally {
    copy.close();
  }
}

/**
 * The copy carries the live database's WAL mode in its header: opened as it
 * is, even read-only, SQLite would make `-wal` and `-shm` files beside it
 * and leave them there. Switched to a rollback journal it is one file, to
 * verify, keep and restore as it is.
 */
function standalone(file: string): void {
  const copy = new Database(file);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
