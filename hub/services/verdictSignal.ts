import pg from 'pg';
import type { Logger } from 'pino';

/** The channel the guard's verdicts are announced on (hub/db/migrations.ts, migration 7). */
export const verdictChannel = 'nilecare_guard_verdicts';

/**
 * Tells downstream services that the ingest guard committed verdicts
 * (docs/hub.md, "Which events downstream services trust"): PostgreSQL
 * LISTEN/NOTIFY on a connection of its own. A record not ready yet waits for
 * the next notification instead of polling, with its backoff as the longest
 * wait, so a lost connection only makes the waits longer, never wrong.
 */
export interface VerdictSignal {
  /** How many notifications so far: take it before a try, give it to `wait` after. */
  count(): number;
  /** Resolves at the first notification after `since` (at once if there was one), or after `ms`. */
  wait(since: number, ms: number): Promise<void>;
  /** Whether the connection listens: when not, waits run to their backoff. */
  listening(): boolean;
  close(): Promise<void>;
}

export async function listenForVerdicts(databaseUrl: string, logger: Logger): Promise<VerdictSignal> {
  const client = new pg.Client({ connectionString: databaseUrl });
  let notifications = 0;
  let live = false;
  const waiters = new Set<() => void>();
  client.on('notification', () => {
    notifications += 1;
    for (const wake of waiters) wake();
  });
  client.on('error', (error) => {
    live = false;
    logger.warn({ err: error }, 'verdict notifications lost; not-ready records wait their backoff');
  });
  await client.connect();
  await client.query(`LISTEN ${verdictChannel}`);
  live = true;
  return {
    count: () => notifications,
    listening: () => live,
    wait(since, ms) {
      if (notifications > since) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
      });
    },
    async close() {
      live = false;
      for (const wake of [...waiters]) wake();
      await client.end().catch(() => undefined);
    },
  };
}
