import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { GatewayError } from '../errors.ts';
import { openDatabase } from '../eventStore/openDatabase.ts';
import { verifyChain } from '../eventStore/verifyChain.ts';
import { runningGatewayPid } from '../runtime/pidFile.ts';
import { PRIVATE_FILE_MODE } from '../storage/privateFiles.ts';
import { verifyBackupFile } from './onlineBackup.ts';

export interface RestoreResult {
  events: number;
  headHash: string;
  /** Where the database that was there before went (with its -wal and -shm files), if there was one. */
  movedAside?: string;
}

/**
 * Puts a backup in place of the gateway's database: refuses while a gateway
 * runs on the folder, verifies the backup's hash chain first, moves an
 * existing database aside (only with `force`) rather than deleting it, copies
 * the backup in through a temporary name, and verifies the chain again once
 * it is in place (migrations bring an older backup up to this version).
 */
export function restoreBackup(options: {
  file: string;
  databasePath: string;
  dataDir: string;
  force: boolean;
  clock: () => Date;
}): RestoreResult {
  const { file, databasePath, dataDir } = options;
  const pid = runningGatewayPid(dataDir);
  if (pid !== undefined)
    throw new GatewayError('GW_ERR_RESTORE_REFUSED', [
      `a gateway is running on ${dataDir} (pid ${pid}); stop it first`,
    ]);
  verifyBackupFile(file);
  const present = existsSync(databasePath);
  if (present && !options.force)
    throw new GatewayError('GW_ERR_RESTORE_REFUSED', [
      `${databasePath} exists; --force moves it aside (nothing is deleted) and restores over it`,
    ]);
  // The copy comes in under a temporary name first, so that at no moment of the swap
  // below (a kill, a power cut) does the folder hold no database (docs/operations.md#backups).
  const incoming = `${databasePath}.restoring`;
  copyFileSync(file, incoming);
  chmodSync(incoming, PRIVATE_FILE_MODE);
  fsync(incoming);
  const movedAside = present
    ? `${databasePath}.before-restore-${options.clock().toISOString().replace(/[:.]/g, '-')}`
    : undefined;
  if (movedAside) setAside(databasePath, movedAside);
  renameSync(incoming, databasePath);
  fsync(dirname(databasePath));
  const db = openDatabase({ path: databasePath });
  try {
    const verdict = verifyChain(db);
    if (!verdict.ok)
      throw new GatewayError('GW_ERR_CHAIN_BROKEN', [String(verdict.problem.seq), verdict.problem.detail]);
    return { events: verdict.events, headHash: verdict.headHash, ...(movedAside ? { movedAside } : {}) };
  } finally {
    db.close();
  }
}

/**
 * Keeps the database that is there under `movedAside` with no moment in which
 * the folder has none: its WAL folded into the main file (a checkpoint), then a
 * second name for that file (a hard link), which the rename of the backup over
 * the first name leaves pointing at the old database. A killed restore thus
 * leaves the old database or the restored one, never a folder without one.
 * A database that cannot be opened (the damage a restore repairs) has no WAL
 * to fold in that SQLite could read: its files are renamed aside.
 */
function setAside(databasePath: string, movedAside: string): void {
  if (foldedIntoMainFile(databasePath)) {
    linkSync(databasePath, movedAside);
    fsync(dirname(databasePath));
    // Emptied by the checkpoint: nothing of the old database is in them any more.
    for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
    return;
  }
  for (const suffix of ['', '-wal', '-shm'])
    if (existsSync(`${databasePath}${suffix}`))
      renameSync(`${databasePath}${suffix}`, `${movedAside}${suffix}`);
}

/** Checkpoints a WAL database completely into its main file; false when it cannot be opened or the WAL stays. */
function foldedIntoMainFile(databasePath: string): boolean {
  try {
    const db = new Database(databasePath, { fileMustExist: true });
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
      return result !== undefined && result.busy === 0 && result.log <= 0;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

function fsync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
