import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../gateway/errors.ts';
import { type Migration, migrations } from '../../../gateway/eventStore/migrations.ts';
import { openDatabase, type SqliteDatabase } from '../../../gateway/eventStore/openDatabase.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let path: string;
const opened: SqliteDatabase[] = [];

function open(extra: { migrations?: readonly Migration[] } = {}): SqliteDatabase {
  const db = openDatabase({ path, ...extra });
  opened.push(db);
  return db;
}

beforeEach(() => {
  dir = tempDataDir();
  path = join(dir.path, 'nested', 'gateway.db');
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  dir.remove();
});

describe('a new gateway database', () => {
  it('is created (with its folder) in WAL mode with synchronous=FULL', () => {
    const db = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('is migrated to the last numbered migration', () => {
    const db = open();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'events',
        'quarantine',
        'devices',
        'projection_docs',
        'projection_checkpoints',
      ]),
    );
  });
});

describe('a reopened WAL database', () => {
  it('still reads back synchronous=FULL from the handle openDatabase returns', () => {
    open().close();
    const db = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('would be at NORMAL if opened by better-sqlite3 alone (why openDatabase sets it on every open)', () => {
    open().close();
    const raw = new Database(path);
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      raw.close();
    }
  });
});

describe('a database written by a newer gateway', () => {
  it('is refused with GW_ERR_DB_NEWER_SCHEMA', () => {
    const db = open();
    db.pragma('user_version = 99');
    db.close();
    let thrown: unknown;
    try {
      open();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('GW_ERR_DB_NEWER_SCHEMA');
    expect((thrown as GatewayError).message).toContain('99');
  });
});

describe('numbered migrations', () => {
  it('are numbered 1, 2, 3 ... without gaps or repeats', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });

  it('apply only those above the stored version, each once', () => {
    const first = migrations.slice(0, 1);
    open({ migrations: first }).close();
    const next: Migration = {
      version: 2,
      name: 'a test table',
      sql: 'CREATE TABLE added_later (id INTEGER PRIMARY KEY);',
    };
    const db = open({ migrations: [...first, next] });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'added_later'").get()).toEqual({
      n: 1,
    });
    db.close();
    // Applying migration 2 again would fail: the table exists.
    expect(() => open({ migrations: [...first, next] }).close()).not.toThrow();
  });

  it('roll a failing migration back whole and name it in GW_ERR_DB_MIGRATION', () => {
    const first = migrations.slice(0, 1);
    open({ migrations: first }).close();
    const broken: Migration = {
      version: 2,
      name: 'half done',
      sql: 'CREATE TABLE half (id INTEGER); SELECT * FROM no_such_table;',
    };
    expect(() => open({ migrations: [...first, broken] })).toThrow(
      expect.objectContaining({ code: 'GW_ERR_DB_MIGRATION', message: expect.stringContaining('half done') }),
    );
    const db = open({ migrations: first });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });
});
