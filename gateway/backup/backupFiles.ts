import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A backup's file name: `gateway-<UTC time>.db`, so names sort by age. */
export function backupFileName(at: Date): string {
  return `gateway-${at.toISOString().replace(/[:.]/g, '-')}.db`;
}

const backupName = /^gateway-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

/** The finished backups in `dir`, oldest first (a `.partial` file is an unfinished one). */
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
