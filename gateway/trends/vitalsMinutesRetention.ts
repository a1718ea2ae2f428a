import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { trendWindows } from '../http/contract/trendWindows.ts';

/** How long the trend's minutes are kept and how often older ones are pruned. */
export interface VitalsMinutesRetention {
  /** Hours of minutes kept: the longest trend window and a margin for a chart opened at the edge. */
  keepHours: number;
  /** How often the pruning runs, in milliseconds (it also runs once at start, after a replay). */
  everyMs: number;
}

const longestWindowHours = Math.max(...Object.values(trendWindows).map((window) => window.hours));

export const defaultVitalsMinutesRetention: VitalsMinutesRetention = {
  keepHours: longestWindowHours + 6, // h: 72 h window + 6 h margin
  everyMs: 10 * 60_000, // ms: ten minutes, a few hundred rows per ward each time
};

/**
 * The first minute kept (pure): minutes starting before it are older than
 * any trend window can ask for. The log keeps every reading; `replay`
 * rebuilds the minutes from it and the next pruning trims them again.
 */
export function vitalsMinutesKeptFrom(now: Date, retention: VitalsMinutesRetention): string {
  return new Date(now.getTime() - retention.keepHours * 3600_000).toISOString();
}

/**
 * Deletes the vitalsMinutes and vitalsQuarterHours documents of buckets before `keptFrom`. A
 * document id ends with its minute's ISO start (24 characters,
 * projections/vitalsMinutes.ts), so the comparison needs no JSON parsing.
 * Synchronous, like every write of the log: it never interleaves with an
 * append's transaction. Returns how many documents went.
 */
export function pruneVitalsMinutes(db: SqliteDatabase, keptFrom: string): number {
  return db
    .prepare(
      "DELETE FROM projection_docs WHERE projection IN ('vitalsMinutes', 'vitalsQuarterHours') AND substr(doc_id, -24) < ?",
    )
    .run(keptFrom).changes;
}

/** Prunes at start and then on a timer; `stop()` ends it. */
export function startVitalsMinutesRetention(
  db: SqliteDatabase,
  clock: () => Date,
  retention: VitalsMinutesRetention = defaultVitalsMinutesRetention,
): { stop(): void } {
  const prune = () => {
    if (db.open) pruneVitalsMinutes(db, vitalsMinutesKeptFrom(clock(), retention));
  };
  prune();
  const timer = setInterval(prune, retention.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
