import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, nilecareCli, runNilecare } from './gatewayProcess.ts';

/** A key-encryption key file as the hub issues one: 32 random bytes, base64. */
export function writeKekFile(dir: string, name = 'gateway.kek'): string {
  const path = join(dir, name);
  writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return path;
}

export function provisionArgs(dataDir: string, kekFile: string, extra: string[] = []): string[] {
  return [
    'provision',
    '--data-dir',
    dataDir,
    '--facility',
    'fac-kassala-01',
    '--tenant',
    'moh-sd',
    '--state',
    'Kassala',
    '--kek-file',
    kekFile,
    '--name',
    'gateway.clinic.local',
    '--name',
    'localhost',
    '--address',
    '127.0.0.1',
    ...extra,
  ];
}

export function runProvision(dataDir: string, kekFile: string, extra: string[] = []): Promise<CliResult> {
  return runNilecare(provisionArgs(dataDir, kekFile, extra));
}

/**
 * Starts `nilecare provision` and SIGKILLs it `delayMs` after its staging
 * folder appears, as a power cut in the middle of the run would. Resolves
 * whether the kill landed while the run was still writing.
 */
export function provisionKilledMidRun(dataDir: string, kekFile: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nilecareCli, ...provisionArgs(dataDir, kekFile)], {
      stdio: 'ignore',
    });
    let exited = false;
    let killedMidRun = false;
    const staging = () => readdirSync(dataDir).some((name) => name.startsWith('provisioned.staging-'));
    const poll = setInterval(() => {
      if (exited || !existsSync(dataDir) || !staging()) return;
      clearInterval(poll);
      setTimeout(() => {
        if (exited) return;
        killedMidRun = staging();
        child.kill('SIGKILL');
      }, delayMs);
    }, 1);
    child.once('exit', () => {
      exited = true;
      clearInterval(poll);
      resolve(killedMidRun);
    });
  });
}
