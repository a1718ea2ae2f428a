import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openForCommand } from '../../gateway/cli/cliOptions.ts';
import { verifyChain } from '../../gateway/eventStore/verifyChain.ts';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import {
  defaultVitalsMinutesRetention,
  pruneVitalsMinutes,
  vitalsMinutesKeptFrom,
} from '../../gateway/trends/vitalsMinutesRetention.ts';
import { readModelDifferences } from './crashInvariants.ts';
import { readModelsOf } from './logContents.ts';

/**
 * docs/architecture.md#guarantee-2 after a kill: the read models the gateway
 * committed equal those a replay rebuilds from the same log (what `nilecare
 * replay` runs, here in this process to spare a Node start per round), in a
 * copy of the data folder: the original stays as the kill left it.
 */
export function readModelsAgainstReplay(dataDir: string, scratch: string): string[] {
  const copy = join(scratch, 'replayed');
  rmSync(copy, { recursive: true, force: true });
  cpSync(dataDir, copy, { recursive: true });
  // The trend summaries are a rolling window (docs/ui.md#trend-data): the gateway prunes buckets
  // older than the retention at each start, and a reading measured before it then starts a new,
  // partial bucket that the next pruning removes. Both sides are compared within the window.
  const keptFrom = vitalsMinutesKeptFrom(new Date(), defaultVitalsMinutesRetention);
  const pruned = () => {
    const db = new Database(dataPaths(copy).database);
    try {
      pruneVitalsMinutes(db, keptFrom);
    } finally {
      db.close();
    }
  };
  try {
    pruned();
    const kept = readModelsOf(dataPaths(copy).database);
    const services = openForCommand({ dataDir: copy }, true);
    try {
      services.projections.rebuild(services.log);
      pruneVitalsMinutes(services.db, keptFrom);
    } finally {
      services.db.close();
    }
    return readModelDifferences(kept, readModelsOf(dataPaths(copy).database));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * docs/architecture.md#guarantee-2: the hash chain holds and seq has no gap
 * (what `nilecare verify` runs, in this process; the campaign runs the
 * command itself at the end). Returns the problem, or undefined, and the head.
 */
export function chainProblem(databasePath: string): { problem: string | undefined; headHash: string } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const verdict = verifyChain(db);
    if (verdict.ok) return { problem: undefined, headHash: verdict.headHash };
    return {
      problem: `seq ${verdict.problem.seq} (${verdict.problem.kind}): ${verdict.problem.detail}`,
      headHash: '',
    };
  } finally {
    db.close();
  }
}
