import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data folder holds names, dates of birth, password hashes and keys: it
 * is the owner's alone (docs/security.md#a1-access-control). The modes are
 * set here with chmod, not left to the umask: a quick start under a umask of
 * 022 would otherwise leave the folder 0755 and the database 0644.
 */
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and its parents) if needed and closes it to everyone but its owner. */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  chmodSync(dir, PRIVATE_FOLDER_MODE);
}

/** Creates the file empty if it is not there, and makes it readable and writable by its owner only. */
export function privateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * A SQLite database and its `-wal` and `-shm` files, owner only. SQLite
 * gives the two the mode of the database file when it creates them; this
 * also closes files an older version left open to others.
 */
export function closeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    if (existsSync(`${path}${suffix}`)) chmodSync(`${path}${suffix}`, PRIVATE_FILE_MODE);
}
