import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { nilecareCli, runNilecare } from '../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

/**
 * A backup copy holds what the database holds: one that never became a
 * backup must not stay behind (docs/operations.md#backups).
 */
let dir: ReturnType<typeof tempDataDir>;
let backups: ReturnType<typeof tempDataDir>;

beforeEach(async () => {
  dir = tempDataDir();
  backups = tempDataDir('nilecare-backups-');
  const folder = openRecordedDataDir(dir.path, '2026-11-20T08:00:00.000Z');
  try {
    await folder.registerAndAdmit('patient-backup-1', 'Amna', { ward: 'Ward A', bed: 'A-1' });
  } finally {
    folder.close();
  }
});
afterEach(() => {
  dir.remove();
  backups.remove();
});

const partials = () => readdirSync(backups.path).filter((name) => name.includes('.partial'));

/** Makes the database big enough (about 64 MiB) that a backup of it takes a noticeable while. */
function padDatabase(): void {
  const db = new Database(dataPaths(dir.path).database);
  try {
    db.exec('CREATE TABLE test_padding (bytes BLOB)');
    const insert = db.prepare('INSERT INTO test_padding VALUES (randomblob(1048576))');
    db.transaction(() => {
      for (let n = 0; n < 64; n += 1) insert.run();
    })();
  } finally {
    db.close();
  }
}

describe('an unfinished backup copy', () => {
  it('left by a backup that was killed (SIGKILL, power cut) is deleted by the next backup', async () => {
    // What a killed run leaves: its copy, named for a pid that no longer runs.
    const killedRun = 'gateway-2026-11-20T02-15-00-000Z.db.partial-2147483646';
    const olderKilledRun = 'gateway-2026-11-19T02-15-00-000Z.db.partial';
    writeFileSync(join(backups.path, killedRun), 'SQLite format 3\u0000 half a copy', { mode: 0o600 });
    writeFileSync(join(backups.path, olderKilledRun), 'SQLite format 3\u0000 half a copy', { mode: 0o600 });
    const result = await runNilecare(['backup', '--data-dir', dir.path, '--to', backups.path]);
    expect(result.code, result.stderr).toBe(0);
    expect(partials()).toEqual([]);
    expect(readdirSync(backups.path)).toHaveLength(1);
  });

  it('is deleted when the backup is stopped with SIGTERM or Ctrl-C while it copies', async () => {
    padDatabase();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child: ChildProcess = spawn(
        process.execPath,
        [nilecareCli, 'backup', '--data-dir', dir.path, '--to', backups.path],
        { stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, how) => resolve(how)),
      );
      const watcher = watch(backups.path);
      const sawPartial = new Promise<void>((resolve) =>
        watcher.on('change', (_type, name) => {
          if (String(name).includes('.partial')) resolve();
        }),
      );
      await Promise.race([sawPartial, exited]);
      watcher.close();
      child.kill(signal);
      expect(await exited, `ended by ${signal}`).toBe(signal);
      expect(partials(), `after ${signal}`).toEqual([]);
      expect(readdirSync(backups.path).filter((name) => name.endsWith('.db'))).toEqual([]);
    }
  });
});
