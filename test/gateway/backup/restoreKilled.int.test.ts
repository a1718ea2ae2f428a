import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../gateway/eventStore/verifyChain.ts';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { nilecareCli, runNilecare } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

// docs/operations.md#backups: `nilecare restore --force` killed at any moment leaves the
// data folder with the old database or the restored one, never with none (a gateway
// started on a folder without one would begin an empty log). The kill comes the
// moment the old database is set aside, while the backup, made large here, would
// still be copying in if the copy came after.

const scratch = tempDataDir('nilecare-restore-killed-');
const original = join(scratch.path, 'original');
const target = join(scratch.path, 'target');
let backup: string;
let heads: { old: string; backup: string };

function headOf(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const verdict = verifyChain(db);
    if (!verdict.ok) throw new Error(`chain broken at ${verdict.problem.seq}: ${verdict.problem.detail}`);
    return verdict.headHash;
  } finally {
    db.close();
  }
}

async function record(dataDir: string, patientId: string) {
  const folder = openRecordedDataDir(dataDir, '2026-12-01T08:00:00.000Z');
  try {
    await folder.record(
      'patient_registered',
      { firstName: 'Restore', lastName: 'Test', sex: 'female', registeredAt: '2026-12-01T08:00:00.000Z' },
      { patientId },
    );
  } finally {
    folder.close();
  }
}

beforeAll(async () => {
  await record(original, 'p-before-backup');
  const backups = join(scratch.path, 'backups');
  const made = await runNilecare(['backup', '--data-dir', original, '--to', backups]);
  expect(made.code, made.stderr).toBe(0);
  backup = join(backups, readdirSync(backups)[0]!);
  // 40 MB of ballast beside the log: copying the backup in takes a while.
  const ballast = new Database(backup);
  ballast.exec('CREATE TABLE ballast (bytes BLOB); INSERT INTO ballast VALUES (zeroblob(40000000));');
  ballast.close();
  // The database to restore over has an event the backup does not: old and new differ.
  await record(original, 'p-after-backup');
  heads = { old: headOf(dataPaths(original).database), backup: headOf(backup) };
  expect(heads.old).not.toBe(heads.backup);
}, 60_000);
afterAll(() => scratch.remove());

/** Runs `nilecare restore --force` and SIGKILLs it as soon as the old database has been set aside. */
function restoreKilledWhenSetAside(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nilecareCli, 'restore', backup, '--data-dir', target, '--force'], {
      stdio: 'ignore',
    });
    const poll = setInterval(() => {
      if (!readdirSync(target).some((name) => name.includes('.before-restore-'))) return;
      clearInterval(poll);
      child.kill('SIGKILL');
    }, 1);
    child.once('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

describe('nilecare restore killed while it swaps the databases', () => {
  it('leaves the old database or the restored one in place, each with its chain whole', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      cpSync(original, target, { recursive: true, force: true });
      const killed = await restoreKilledWhenSetAside();
      const database = dataPaths(target).database;
      expect(existsSync(database), `round ${round}: ${database} is missing after the kill`).toBe(true);
      const head = headOf(database);
      expect([heads.old, heads.backup]).toContain(head);
      outcomes.push(`${killed ? 'killed' : 'finished'}: ${head === heads.old ? 'old' : 'restored'}`);
    }
    // The folder stays usable: restore run to its end puts the backup in place.
    const finished = await runNilecare(['restore', backup, '--data-dir', target, '--force']);
    expect(finished.code, `${finished.stderr}\n${outcomes.join('\n')}`).toBe(0);
    expect(headOf(dataPaths(target).database)).toBe(heads.backup);
  }, 120_000);
});
