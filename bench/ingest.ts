/**
 * `npm run bench:ingest` (docs/benchmarks.md): durable ingest beside a raw
 * SQLite loop and plain aedes, device-to-alert latency beside plain aedes, and
 * RSS and disk per event with a big log beside raw SQLite, all in one run.
 * Options: bench/benchOptions.ts (flags or NILECARE_BENCH_* variables).
 * Ends with one JSON line of every figure. Not part of `npm test`.
 */
import { measureAlertLatency } from './alertLatency.ts';
import { type Phase, resolveBenchOptions } from './benchOptions.ts';
import { tsxExecArgv } from './benchGateway.ts';
import { runChild } from './childProcess.ts';
import { measureIngest } from './ingestThroughput.ts';
import { otherCpuPercent, sampleLoad } from './machineLoad.ts';
import { type BenchFigures, machine, printReport, summaryLine } from './report.ts';
import type { StorageCommand, StorageFigures } from './storageFootprint.ts';

const options = resolveBenchOptions(process.argv.slice(2), process.env);
const log = (line: string) => console.log(line);
const figures: BenchFigures = { otherCpuPct: {} };

/** Runs a phase if it was asked for, noting how much CPU other processes took meanwhile. */
async function phase<T>(name: Phase, run: () => Promise<T>): Promise<T | undefined> {
  if (!options.phases.includes(name)) return undefined;
  const from = sampleLoad();
  const result = await run();
  figures.otherCpuPct[name] = otherCpuPercent(from, sampleLoad());
  return result;
}

function measureStorage(): Promise<StorageFigures> {
  log(
    `storage: filling a fresh gateway's log with ${options.storageEvents} readings, ${options.storageBurst} at a time`,
  );
  const command: StorageCommand = {
    events: options.storageEvents,
    burst: options.storageBurst,
    devices: options.publishers,
  };
  return runChild<StorageFigures>(
    new URL('./storageFootprint.ts', import.meta.url),
    ['--expose-gc', ...tsxExecArgv],
    command,
  );
}

log(`bench:ingest on ${JSON.stringify(machine())}`);
log(`options ${JSON.stringify(options)}`);
figures.ingest = await phase('ingest', () => measureIngest(options, log));
figures.latency = await phase('latency', () => measureAlertLatency(options, log));
figures.storage = await phase('storage', measureStorage);
printReport(options, figures, log);
log(summaryLine(options, figures));
