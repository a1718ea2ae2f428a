import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A backup's file name: `gateway-<UTC time>.db`, so names sort by age. */
export function backupFileName(at: Date): string {
  return `gateway-${at.toISOString().replace(/[:.]/g, '-')}.db`;
}

const backupName = /^gateway-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

/**
 * Where a backup is written before it is verified: `<file>.partial-<pid>`,
 * the pid of the process writing it, so another process can tell an
 * abandoned copy from one still being written.
 */
export function partialFileName(file: string, pid: number): string {
  return `${file}.partial-${pid}`;
}

// SQLite's own files beside a copy (-wal, -shm, -journal) go with it.
const partialName = /^gateway-.+\.db\.partial(?:-(\d+))?(?:-(?:wal|shm|journal))?$/;

/** The pid that wrote a partial backup named `name`, null for an old `.partial` without one, undefined if it is not one. */
export function partialOwner(name: string): number | null | undefined {
  const match = partialName.exec(name);
  if (!match) return undefined;
  return match[1] === undefined ? null : Number(match[1]);
}

/** A partial copy and the files SQLite may keep beside it. */
export const withSqliteFiles = (file: string): string[] =>
  ['', '-wal', '-shm', '-journal'].map((suffix) => `${file}${suffix}`);

/** Whether a process of this pid is alive (EPERM: alive, another user's). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the unfinished copies in `dir` that no live process is writing,
 * left by a backup that was killed or lost power (docs/operations.md#backups):
 * they are never backups, and they hold patient data. Those of `keepPid`
 * are kept (the caller's own run in progress). Returns the names deleted.
 */
export function removeAbandonedPartials(
  dir: string,
  { keepPid, isAlive = processIsAlive }: { keepPid?: number; isAlive?: (pid: number) => boolean } = {},
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const abandoned = names.filter((name) => {
    const owner = partialOwner(name);
    if (owner === undefined || owner === keepPid) return false;
    return owner === null || !isAlive(owner);
  });
  for (const name of abandoned) rmSync(join(dir, name), { force: true });
  return abandoned;
}

/** The finished backups in `dir`, oldest first (a `.partial-<pid>` file is an unfinished one). */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => backupName.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Which backups to delete so that the newest `keep` remain (pure). */
export function backupsBeyondRetention(backups: readonly string[], keep: number): string[] {
  return keep <= 0 ? [] : backups.slice(0, Math.max(0, backups.length - keep));
}
