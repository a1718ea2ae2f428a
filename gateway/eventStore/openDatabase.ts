import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.ts';
import { closeDatabaseFiles, PRIVATE_FOLDER_MODE, privateFile } from '../storage/privateFiles.ts';
import { migrations as defaultMigrations, type Migration } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the SQLite file; its folder is created. */
  path: string;
  readonly?: boolean;
  /** How long a writer waits for another's lock, in milliseconds. */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
}

/**
 * Opens the gateway database with the durability the guarantees rely on:
 * WAL journal and synchronous=FULL, set on every open and read back, because
 * better-sqlite3 reopens a WAL database at NORMAL (docs/architecture.md#guarantee-1).
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const { path, readonly = false, busyTimeoutMs = 5000 } = options;
  if (!readonly) {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_FOLDER_MODE });
    // Created 0600 before SQLite opens it: SQLite gives -wal and -shm the database file's mode.
    privateFile(path);
  }
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!readonly) {
      expectPragma(db, 'journal_mode', 'WAL', 'wal');
      expectPragma(db, 'synchronous', 'FULL', 2);
      db.pragma('foreign_keys = ON');
      migrate(db, options.migrations ?? defaultMigrations);
      closeDatabaseFiles(path);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function expectPragma(db: SqliteDatabase, name: string, value: string, expected: string | number): void {
  db.pragma(`${name} = ${value}`);
  const actual = db.pragma(name, { simple: true });
  if (actual !== expected) throw new GatewayError('GW_ERR_DB_PRAGMA', [name, String(actual), value]);
}

/** Applies the migrations above `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new GatewayError('GW_ERR_DB_NEWER_SCHEMA', [current, latest]);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw new GatewayError('GW_ERR_DB_MIGRATION', [
        `${migration.version} (${migration.name})`,
        (error as Error).message,
      ]);
    }
  }
}
