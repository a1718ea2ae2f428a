import Database from 'better-sqlite3';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import type { TestGateway } from './testGateway.ts';

/**
 * Runs `body` while a second SQLite connection holds the database's write
 * lock (BEGIN IMMEDIATE), so every commit the gateway tries fails with
 * SQLITE_BUSY: a real way for a commit to fail. The gateway's busy timeout is
 * shortened meanwhile so each failure takes 50 ms rather than 5 s of a
 * blocked event loop, and restored after.
 */
export async function whileLogCannotCommit<T>(gateway: TestGateway, body: () => Promise<T>): Promise<T> {
  const otherWriter = new Database(dataPaths(gateway.dataDir).database);
  const busyTimeout = gateway.services.db.pragma('busy_timeout', { simple: true }) as number;
  try {
    gateway.services.db.pragma('busy_timeout = 50');
    otherWriter.exec('BEGIN IMMEDIATE');
    return await body();
  } finally {
    if (otherWriter.inTransaction) otherWriter.exec('ROLLBACK');
    otherWriter.close();
    gateway.services.db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
