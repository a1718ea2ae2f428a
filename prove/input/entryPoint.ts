import type { Violation } from '../campaign.ts';
import type { InputGateway } from './inputGateway.ts';
import { type EntryTally, hangOf, quarantineShortfall } from './inputInvariants.ts';

/** What an entry point is given: the gateway under test, how many inputs, the random seed, and a progress line. */
export interface EntryRun {
  gateway: InputGateway;
  count: number;
  seed: number;
  workDir: string;
  progress: (line: string) => void;
}

/** What an entry point counts while it runs; the runner adds the quarantine rise and the checks. */
export interface EntryCounts {
  inputs: number;
  refused: number;
  mustQuarantine: number;
  slowestMs: number;
  /** Inputs answered or closed past `limitMs`. */
  hangs: number;
  violations: Violation[];
  /** Records one input's time to its answer or close, a hang when past the limit. */
  timed(index: number, elapsedMs: number): void;
}

export interface EntryPoint {
  name: string;
  /** The longest an input may wait for its answer or close, in milliseconds. */
  limitMs: number;
  /** Whether it needs the gateway process (the pure parsers run in this process). */
  network: boolean;
  run(run: EntryRun, counts: EntryCounts): Promise<void>;
}

export function newCounts(entry: string, limitMs: number): EntryCounts {
  const counts: EntryCounts = {
    inputs: 0,
    refused: 0,
    mustQuarantine: 0,
    slowestMs: 0,
    hangs: 0,
    violations: [],
    timed(index, elapsedMs) {
      counts.slowestMs = Math.max(counts.slowestMs, Math.round(elapsedMs));
      const hang = hangOf(entry, index, elapsedMs, limitMs);
      if (hang) {
        counts.hangs += 1;
        counts.violations.push(hang);
      }
    },
  };
  return counts;
}

/** Runs one entry point and measures how far the gateway's quarantine rose meanwhile. */
export async function runEntryPoint(entry: EntryPoint, run: EntryRun): Promise<EntryTally> {
  const counts = newCounts(entry.name, entry.limitMs);
  const before = entry.network ? (await run.gateway.health()).quarantined : 0;
  try {
    await entry.run(run, counts);
  } catch (error) {
    counts.violations.push({
      round: counts.inputs,
      guarantee: 'the entry point ran to the end',
      detail: String(error),
    });
  }
  // The last refusals are committed before their answer; a moment more lets a refused connection's row land.
  if (entry.network) await new Promise((resolve) => setTimeout(resolve, 300));
  const after = entry.network ? (await run.gateway.health()).quarantined : 0;
  const tally: EntryTally = {
    entry: entry.name,
    inputs: counts.inputs,
    refused: counts.refused,
    mustQuarantine: counts.mustQuarantine,
    quarantined: Math.max(0, after - before),
    hangs: counts.hangs,
    slowestMs: counts.slowestMs,
    violations: counts.violations,
  };
  if (entry.network) tally.violations.push(...quarantineShortfall(tally));
  return tally;
}

/** The promise, or a rejection once `ms` have passed (the timer cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
