import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { listBackups } from '../../gateway/backup/backupFiles.ts';
import { verifyBackupFile } from '../../gateway/backup/onlineBackup.ts';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { loadProvisionedConfig } from '../../gateway/provisioning/gatewayConfig.ts';
import { keyringOf } from '../../gateway/provisioning/provisionedStore.ts';
import { decryptField, isEncryptedField } from '../../kernel/phi/fieldCipher.ts';
import { nilecareCli, runNilecare } from '../../test/harness/gatewayProcess.ts';
import { runProvision, writeKekFile } from '../../test/harness/provisioningHarness.ts';
import { openRecordedDataDir } from '../../test/harness/recordedDataDir.ts';
import type { CampaignOptions, Violation } from '../campaign.ts';
import { chainProblem } from './replayCheck.ts';
import { between } from './seededRandom.ts';

/**
 * Runs `nilecare <args>` and SIGKILLs it `delayMs` after `atWork` first says
 * the command is doing its work (a file it writes appeared, a progress line
 * came), so the kill lands in the work and not in Node's start. Resolves
 * whether the kill landed before the command ended.
 */
export function runKilledAtWork(
  args: readonly string[],
  atWork: (stderr: string) => boolean,
  delayMs: number,
  env: Record<string, string> = {},
) {
  return new Promise<boolean>((resolve) => {
    const child = spawn(process.execPath, [nilecareCli, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NILECARE_LOG_LEVEL: 'warn', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (!atWork(stderr)) return;
      clearInterval(poll);
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 1);
    child.once('exit', (_code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

/** Kills `command` at work again and again until `kills` kills landed (at most three tries each); returns how many landed and tries. */
async function killRepeatedly(kills: number, attempt: () => Promise<boolean>, check: (kill: number) => void) {
  let landed = 0;
  let tries = 0;
  while (landed < kills && tries < kills * 3) {
    tries += 1;
    if (await attempt()) landed += 1;
    check(tries);
  }
  return { landed, tries };
}

const hasFile = (dir: string, test: (name: string) => boolean) => () => {
  try {
    return readdirSync(dir).some(test);
  } catch {
    return false;
  }
};

/** How long a command takes to run to its end here, in milliseconds (its exit code must be 0). */
async function timed(args: readonly string[], env: Record<string, string> = {}): Promise<number> {
  const started = Date.now();
  const result = await runNilecare(args, { env });
  if (result.code !== 0) throw new Error(`nilecare ${args[0]} failed: ${result.stderr.slice(0, 400)}`);
  return Date.now() - started;
}

interface CommandKills {
  violations: Violation[];
  limitations: string[];
  figures: Record<string, number>;
}

/**
 * SIGKILL during `nilecare backup`, `restore` and `keys reencrypt`, each at a
 * seeded moment within the time the command takes here to run to its end; after
 * each, the data folder must be the old state or the new one, never broken
 * (docs/operations.md#backups, docs/security.md).
 */
export async function killDuringCommands(
  dataDir: string,
  options: CampaignOptions,
  random: () => number,
): Promise<CommandKills> {
  const each = options.size === 'short' ? 1 : Math.max(3, Math.round((options.rounds ?? 1000) / 50));
  const violations: Violation[] = [];
  const figures: Record<string, number> = {};
  const backups = join(options.workDir, 'backups');
  mkdirSync(backups, { recursive: true });

  // backup: the database is untouched and every finished backup verifies.
  await timed(['backup', '--data-dir', dataDir, '--to', backups]);
  const before = chainProblem(dataPaths(dataDir).database).headHash;
  const backupKills = await killRepeatedly(
    each,
    () =>
      runKilledAtWork(
        ['backup', '--data-dir', dataDir, '--to', backups],
        hasFile(backups, (name) => name.includes('.partial')),
        between(random, 0, 200),
      ),
    (kill) => {
      const after = chainProblem(dataPaths(dataDir).database);
      if (after.problem || after.headHash !== before)
        violations.push({
          round: kill,
          guarantee: 'a killed backup leaves the database as it was',
          detail: after.problem ?? 'head moved',
        });
      for (const file of listBackups(backups)) {
        try {
          verifyBackupFile(file);
        } catch (error) {
          violations.push({
            round: kill,
            guarantee: 'every finished backup verifies',
            detail: `${file}: ${String(error)}`,
          });
        }
      }
    },
  );
  await timed(['backup', '--data-dir', dataDir, '--to', backups]);
  figures.backupKills = backupKills.landed;
  figures.backupTries = backupKills.tries;

  // restore: the database is the old one or the backup, never missing or broken.
  const backup = listBackups(backups).at(-1)!;
  const backupHead = verifyBackupFile(backup).headHash;
  const original = join(options.workDir, 'restore-original');
  cpSync(dataDir, original, { recursive: true });
  const folder = openRecordedDataDir(original, new Date().toISOString());
  await folder.record(
    'patient_registered',
    { firstName: 'After', lastName: 'Backup', sex: 'male', registeredAt: new Date().toISOString() },
    { patientId: 'p-after-backup' },
  );
  folder.close();
  const oldHead = chainProblem(dataPaths(original).database).headHash;
  const target = join(options.workDir, 'restore-target');
  const fresh = () => {
    rmSync(target, { recursive: true, force: true });
    cpSync(original, target, { recursive: true });
  };
  const restoreKills = await killRepeatedly(
    each,
    () => {
      fresh();
      return runKilledAtWork(
        ['restore', backup, '--data-dir', target, '--force'],
        hasFile(target, (name) => name.includes('.before-restore-') || name.endsWith('.restoring')),
        between(random, 0, 5),
      );
    },
    (kill) => {
      const database = dataPaths(target).database;
      const state = existsSync(database) ? chainProblem(database) : undefined;
      if (!state || state.problem || (state.headHash !== oldHead && state.headHash !== backupHead))
        violations.push({
          round: kill,
          guarantee: 'a killed restore leaves the old database or the new one',
          detail: !state
            ? `${database} is missing`
            : (state.problem ?? `head ${state.headHash} is neither the old one nor the backup's`),
        });
    },
  );
  figures.restoreKills = restoreKills.landed;
  figures.restoreTries = restoreKills.tries;

  const reencrypt = await killDuringReencrypt(options.workDir, each, random);
  violations.push(...reencrypt.violations);
  figures.reencryptKills = reencrypt.landed;
  figures.reencryptTries = reencrypt.tries;
  return { violations, limitations: [], figures };
}

/** PHI values of the patients read model that do not decrypt with the gateway's keys, and the key ids in use. */
function phiValues(dataDir: string, kekFile: string): { unreadable: number; keyIds: Set<string> } {
  const keyring = keyringOf(loadProvisionedConfig(dataDir)!, { file: kekFile });
  const db = new Database(dataPaths(dataDir).database, { readonly: true });
  try {
    let unreadable = 0;
    const keyIds = new Set<string>();
    for (const row of db
      .prepare<[], { doc: string }>("SELECT doc FROM projection_docs WHERE projection = 'patients'")
      .iterate()) {
      const doc = JSON.parse(row.doc) as Record<string, unknown>;
      for (const field of ['sudanNationalId', 'phone']) {
        const value = doc[field];
        if (!isEncryptedField(value)) continue;
        keyIds.add(value.split(':')[2] ?? '');
        try {
          decryptField(value, field, keyring);
        } catch {
          unreadable += 1;
        }
      }
    }
    return { unreadable, keyIds };
  } finally {
    db.close();
  }
}

/**
 * `keys reencrypt` re-encrypts patient by patient, each its own commit: a kill
 * leaves some values under the old key and some under the new, every one
 * readable, and the next run finishes the work. That is the "old or new" of
 * this command, value by value.
 */
async function killDuringReencrypt(workDir: string, kills: number, random: () => number) {
  const violations: Violation[] = [];
  const secrets = join(workDir, 'secrets');
  mkdirSync(secrets, { recursive: true });
  const kekFile = writeKekFile(secrets);
  const env = { NILECARE_KEK_FILE: kekFile };
  const dir = join(workDir, 'provisioned');
  const provisioned = await runProvision(dir, kekFile);
  if (provisioned.code !== 0)
    throw new Error(`nilecare provision failed: ${provisioned.stderr.slice(0, 400)}`);
  process.env.NILECARE_KEK_FILE = kekFile;
  try {
    const folder = openRecordedDataDir(dir, new Date().toISOString());
    for (let n = 0; n < 300; n += 1)
      await folder.record(
        'patient_registered',
        {
          firstName: 'Keyed',
          lastName: `Patient ${n}`,
          sex: 'female',
          phone: `+24991${String(n).padStart(7, '0')}`,
          registeredAt: new Date().toISOString(),
        },
        { patientId: `p-keyed-${n}` },
      );
    folder.close();
  } finally {
    delete process.env.NILECARE_KEK_FILE;
  }
  const tried = await killRepeatedly(
    kills,
    async () => {
      const rotated = await runNilecare(['keys', 'rotate', '--data-dir', dir], { env });
      if (rotated.code !== 0) throw new Error(`nilecare keys rotate failed: ${rotated.stderr.slice(0, 400)}`);
      return runKilledAtWork(
        ['keys', 'reencrypt', '--data-dir', dir],
        (stderr) => stderr.includes('re-encrypting'),
        between(random, 0, 1000),
        env,
      );
    },
    (kill) => {
      const chain = chainProblem(dataPaths(dir).database);
      const values = phiValues(dir, kekFile);
      if (chain.problem || values.unreadable > 0)
        violations.push({
          round: kill,
          guarantee: 'a killed reencrypt leaves every value readable, the chain whole',
          detail: chain.problem ?? `${values.unreadable} values unreadable`,
        });
    },
  );
  // Run to its end, reencrypt finishes what the kills left: every value under the active key.
  const again = await runNilecare(['keys', 'reencrypt', '--data-dir', dir], { env });
  const active = loadProvisionedConfig(dir)!.phiKeys.activeKeyId;
  const after = phiValues(dir, kekFile);
  if (again.code !== 0 || [...after.keyIds].some((id) => id !== active))
    violations.push({
      round: tried.tries,
      guarantee: 'reencrypt run again after the kills finishes the work',
      detail: again.stderr.slice(0, 300) || `keys in use: ${[...after.keyIds].join(', ')}`,
    });
  return { violations, ...tried };
}
