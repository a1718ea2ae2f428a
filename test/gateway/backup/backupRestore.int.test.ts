import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { flipByteOfStoredValue } from '../../harness/databaseFileTamper.ts';
import { runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';

const nationalId = '19870412345';
const phone = '+249912345678';

let dir: ReturnType<typeof tempDataDir>;
let backups: ReturnType<typeof tempDataDir>;

beforeEach(() => {
  dir = tempDataDir();
  backups = tempDataDir('nilecare-backups-');
});
afterEach(() => {
  dir.remove();
  backups.remove();
});

/** A data folder with a patient whose national ID and phone are recorded, and an admission. */
async function recordFolder(): Promise<number> {
  const folder = openRecordedDataDir(dir.path, '2026-11-20T08:00:00.000Z');
  try {
    await folder.record(
      'patient_registered',
      {
        firstName: 'Halima',
        lastName: 'Test',
        sex: 'female',
        sudanNationalId: nationalId,
        phone,
        registeredAt: '2026-11-20T08:00:00.000Z',
      },
      { patientId: 'patient-backup-1' },
    );
    await folder.registerAndAdmit('patient-backup-2', 'Amna', { ward: 'Ward A', bed: 'A-1' });
    return folder.services.log.count();
  } finally {
    folder.close();
  }
}

const eventCount = (databaseFile: string) => {
  const db = new Database(databaseFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('nilecare backup and nilecare restore', () => {
  it('backs up online with the chain verified, and the backup holds no plaintext national ID or phone', async () => {
    const total = await recordFolder();
    const result = await runNilecare(['backup', '--data-dir', dir.path, '--to', backups.path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`backed up ${total} events (chain verified`);
    const [file] = readdirSync(backups.path);
    expect(file).toMatch(/^gateway-.*Z\.db$/);
    const bytes = readFileSync(join(backups.path, file as string));
    expect(eventCount(join(backups.path, file as string))).toBe(total);
    // The fields are encrypted in the log and read models, and the keys are not in the backup.
    expect(bytes.includes(Buffer.from(nationalId))).toBe(false);
    expect(bytes.includes(Buffer.from(phone))).toBe(false);
    expect(bytes.includes(Buffer.from('enc:v1:'))).toBe(true);
    expect(readdirSync(backups.path).some((name) => name.endsWith('.partial'))).toBe(false);
  });

  it('restores a backup over a damaged database after verifying its chain, moving the old one aside', async () => {
    const total = await recordFolder();
    await runNilecare(['backup', '--data-dir', dir.path, '--to', backups.path]);
    const backup = join(backups.path, readdirSync(backups.path)[0] as string);
    const database = dataPaths(dir.path).database;
    writeFileSync(database, 'this is not a database any more');

    const refused = await runNilecare(['restore', backup, '--data-dir', dir.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GW_ERR_RESTORE_REFUSED');

    const restored = await runNilecare(['restore', backup, '--data-dir', dir.path, '--force']);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`restored ${total} events`);
    expect(readdirSync(dir.path).some((name) => name.startsWith('gateway.db.before-restore-'))).toBe(true);
    const verified = await runNilecare(['verify', '--data-dir', dir.path]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`chain ok: ${total} events`);
  });

  it('refuses a backup whose chain is broken, and leaves the database as it was', async () => {
    await recordFolder();
    await runNilecare(['backup', '--data-dir', dir.path, '--to', backups.path]);
    const backup = join(backups.path, readdirSync(backups.path)[0] as string);
    flipByteOfStoredValue(backup, {
      bytes: 'Ward A',
      offsetInValue: 2,
      readBack: "SELECT body FROM events WHERE event_type = 'patient_admitted'",
    });
    const before = readFileSync(dataPaths(dir.path).database);
    const result = await runNilecare(['restore', backup, '--data-dir', dir.path, '--force']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GW_ERR_BACKUP_INVALID');
    expect(result.stderr).toMatch(/hash chain broken at seq \d+ \(hash_mismatch\)/);
    expect(readFileSync(dataPaths(dir.path).database).equals(before)).toBe(true);
  });

  it('a running gateway backs up on its schedule, keeps the newest N, and restore refuses to run under it', async () => {
    await recordFolder();
    const gateway = await startGatewayProcess(dir.path, {
      env: {
        NILECARE_BACKUP_DIR: backups.path,
        NILECARE_BACKUP_SCHEDULE: '* * * * * *', // every second
        NILECARE_BACKUP_KEEP: '2',
      },
    });
    try {
      await waitFor(
        'two scheduled backups',
        () => readdirSync(backups.path).filter((name) => name.endsWith('.db')).length === 2,
        {
          timeoutMs: 15_000,
        },
      );
      // More runs happen; the folder keeps only the two newest.
      const firstTwo = readdirSync(backups.path).filter((name) => name.endsWith('.db'));
      await waitFor(
        'the oldest backup pruned',
        () => !existsSync(join(backups.path, firstTwo[0] as string)),
        {
          timeoutMs: 15_000,
        },
      );
      expect(readdirSync(backups.path).filter((name) => name.endsWith('.db')).length).toBeLessThanOrEqual(2);
      const metrics = await fetch(`http://127.0.0.1:${gateway.httpPort}/metrics`).then((reply) =>
        reply.text(),
      );
      expect(metrics).toMatch(/^nilecare_backup_last_success_timestamp_seconds [1-9]\d+/m);

      const backup = join(
        backups.path,
        readdirSync(backups.path).filter((name) => name.endsWith('.db'))[0] as string,
      );
      const refused = await runNilecare(['restore', backup, '--data-dir', dir.path, '--force']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `GW_ERR_RESTORE_REFUSED: Restore refused: a gateway is running on ${dir.path} (pid ${gateway.pid})`,
      );
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    expect(existsSync(join(dir.path, 'gateway.pid'))).toBe(false);
  });
});
