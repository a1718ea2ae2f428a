import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync } from 'node:fs';
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
  let movedAside: string | undefined;
  if (existsSync(databasePath)) {
    if (!options.force)
      throw new GatewayError('GW_ERR_RESTORE_REFUSED', [
        `${databasePath} exists; --force moves it aside (nothing is deleted) and restores over it`,
      ]);
    movedAside = `${databasePath}.before-restore-${options.clock().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${databasePath}${suffix}`))
        renameSync(`${databasePath}${suffix}`, `${movedAside}${suffix}`);
  }
  const incoming = `${databasePath}.restoring`;
  copyFileSync(file, incoming);
  chmodSync(incoming, PRIVATE_FILE_MODE);
  fsync(incoming);
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

function fsync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
