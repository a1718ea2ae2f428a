import pg from 'pg';
import { HubError } from '../errors.ts';

export type HubPool = pg.Pool;
/** A connection inside one transaction; handlers write through it only. */
export type HubTx = pg.PoolClient;

/** The connection string without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable connection string)';
  }
}

/**
 * A pool on the hub database, checked with one round trip so a wrong
 * connection string fails at start with HUB_ERR_DB_UNREACHABLE, not at the
 * first record.
 */
export async function openHubPool(databaseUrl: string, max = 10): Promise<HubPool> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server emits 'error'; the next query reports it instead.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new HubError('HUB_ERR_DB_UNREACHABLE', [redactedUrl(databaseUrl), (error as Error).message]);
  }
  return pool;
}

/** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: HubPool, body: (tx: HubTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
