import pg from 'pg';
import { inject } from 'vitest';

/** The test run's PostgreSQL (started by test/globalSetup/postgres.ts). */
export function testPostgresUrl(): string {
  return inject('postgresUrl');
}

/**
 * A fresh, empty database for one test file on the run's PostgreSQL server,
 * dropped by `drop()`: test files run in parallel and never see each other's
 * tables.
 */
export async function testDatabase(
  prefix = 'hub_test',
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const admin = testPostgresUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(admin, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}
