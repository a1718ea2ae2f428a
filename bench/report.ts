import { execFileSync } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import type { AlertLatencyFigures, LatencyRun } from './alertLatency.ts';
import type { BenchOptions, Phase } from './benchOptions.ts';
import type { IngestFigures } from './ingestThroughput.ts';
import type { DiskUse } from './rawSqliteBaseline.ts';
import type { StorageFigures } from './storageFootprint.ts';

export interface BenchFigures {
  /** CPU other processes used during each phase, % of one core: above ~10 the figures were disturbed. */
  otherCpuPct: Partial<Record<Phase, number | null>>;
  ingest?: IngestFigures | undefined;
  latency?: AlertLatencyFigures | undefined;
  storage?: StorageFigures | undefined;
}

interface Target {
  target: string;
  value: number | null;
  pass: boolean | null;
}

/** The ingest targets docs/benchmarks.md records the runs against. */
export function evaluateTargets(figures: BenchFigures): Record<string, Target> {
  const check = (target: string, value: number | undefined, ok: (value: number) => boolean): Target =>
    value === undefined ? { target, value: null, pass: null } : { target, value, pass: ok(value) };
  return {
    ingestRatioToRawSqlite: check('>= 0.5', figures.ingest?.ratioToRawSqlite, (v) => v >= 0.5),
    alertP99Ms: check('<= 50 at 1000 events/s', figures.latency?.gateway.p99Ms, (v) => v <= 50),
    rssMb: check('<= 150 with 1,000,000 events', figures.storage?.rssMb, (v) => v <= 150),
    bytesPerEventAboveBody: check('<= 60', figures.storage?.gateway.bytesPerRowAboveBody, (v) => v <= 60),
  };
}

/** The commit measured, and whether gateway/ had uncommitted changes (read-only git). */
function sourceVersion(): { commit: string; gatewayUncommitted: boolean } | null {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      gatewayUncommitted: git('status', '--porcelain', '--', 'gateway').length > 0,
    };
  } catch {
    return null;
  }
}

export function machine() {
  return {
    source: sourceVersion(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGb: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const n = (value: number) => value.toLocaleString('en-US');
const verdict = (target: Target) => (target.pass === null ? 'not run' : target.pass ? 'PASS' : 'MISS');

function latencyLine(name: string, run: LatencyRun): string {
  return `  ${name.padEnd(44)} p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  max ${run.maxMs} ms  (n ${run.count}, missing ${run.missing}, ${run.achievedRate}/s, broker CPU ${run.brokerCpuPct} %)`;
}

/** The human report: each figure beside its baseline, then the targets. */
export function printReport(
  options: BenchOptions,
  figures: BenchFigures,
  print: (line: string) => void,
): void {
  const targets = evaluateTargets(figures);
  const { ingest, latency, storage } = figures;
  const others = (phase: Phase) => {
    const pct = figures.otherCpuPct[phase];
    if (pct === null || pct === undefined) return '';
    return `  [other processes: ${pct} % of a core${pct > 10 ? ', figures disturbed' : ''}]`;
  };
  const target = (name: string) => `(target ${targets[name]!.target}: ${verdict(targets[name]!)})`;
  if (ingest) {
    const { gateway, rawSqlite, plainAedes } = ingest;
    print(
      `\n== Durable ingest: ${options.publishers} MQTT publishers, QoS 1, window ${options.window}, ${n(ingest.messages)} messages${others('ingest')}`,
    );
    print(
      `  ${'gateway (PUBACK after durable commit)'.padEnd(40)} ${n(gateway.eventsPerSec).padStart(8)} events/s`,
    );
    print(
      `      mean batch ${gateway.meanBatch} (${n(gateway.commits)} commits), broker CPU ${gateway.brokerCpuPct} %, fleet CPU ${gateway.fleetCpuPct} %`,
    );
    print(
      `  ${`raw better-sqlite3, FULL, batches of ${rawSqlite.batchSize}`.padEnd(40)} ${n(rawSqlite.rowsPerSec).padStart(8)} rows/s`,
    );
    print(`      gateway/raw ${ingest.ratioToRawSqlite} ${target('ingestRatioToRawSqlite')}`);
    print(`  ${'plain aedes, no storage'.padEnd(40)} ${n(plainAedes.messagesPerSec).padStart(8)} messages/s`);
    print(
      `      gateway/plain ${ingest.ratioToPlainAedes}, broker CPU ${plainAedes.brokerCpuPct} %, fleet CPU ${plainAedes.fleetCpuPct} %`,
    );
  }
  if (latency) {
    const ratio = Math.round((latency.gateway.p99Ms / latency.plainAedes.p99Ms) * 10) / 10;
    print(
      `\n== Device-to-alert latency, ${latency.rate} readings/s for ${latency.seconds} s, every ${options.criticalEvery}th critical${others('latency')}`,
    );
    print(latencyLine('gateway: publish -> SSE critical_value_detected', latency.gateway));
    print(latencyLine('plain aedes: publish -> subscriber', latency.plainAedes));
    print(
      `      p99 gateway/plain ${ratio}x; alerts in the log ${latency.gateway.alertsInLog} ${target('alertP99Ms')}`,
    );
  }
  if (storage) {
    const { gateway, rawSqlite } = storage;
    const byObject = (use: DiskUse) =>
      Object.entries(use.perRowByObject)
        .map(([name, bytes]) => `${name} ${bytes}`)
        .join(', ');
    print(
      `\n== Storage after ${n(storage.events)} events, filled in ${storage.fillSeconds} s (${n(storage.recorderEventsPerSec)} events/s via the recorder)${others('storage')}`,
    );
    print(`  RSS ${storage.rssMb} MB after GC ${target('rssMb')}`);
    print(
      `      empty gateway ${storage.rssEmptyMb} MB, peak ${storage.peakRssMb} MB; anonymous ${storage.rssAnonMb} MB, file-backed ${storage.rssFileMb} MB; V8 heap ${storage.heapUsedMb} used of ${storage.heapTotalMb} MB`,
    );
    print(
      `  gateway disk: ${gateway.bytesPerRow} B/event, body ${gateway.avgBodyBytes} B, above body ${gateway.bytesPerRowAboveBody} B (free space in ${gateway.pageSize} B pages ${gateway.unusedPerRow} B) ${target('bytesPerEventAboveBody')}`,
    );
    print(
      `  raw SQLite disk: ${rawSqlite.bytesPerRow} B/row, body ${rawSqlite.avgBodyBytes} B, above body ${rawSqlite.bytesPerRowAboveBody} B (free space in pages ${rawSqlite.unusedPerRow} B)`,
    );
    print(`      gateway B/event by object: ${byObject(gateway)}`);
    print(`      raw B/row by object: ${byObject(rawSqlite)}`);
  }
  print('\n== Targets');
  for (const [name, result] of Object.entries(targets)) {
    print(
      `  ${name.padEnd(24)} ${String(result.value).padStart(8)}  ${result.target.padEnd(28)} ${verdict(result)}`,
    );
  }
}

/** The one JSON line the run ends with. */
export function summaryLine(options: BenchOptions, figures: BenchFigures): string {
  const { ingest, latency, storage } = figures;
  return JSON.stringify({
    bench: 'ingest',
    at: new Date().toISOString(),
    machine: machine(),
    options,
    ratioToRawSqlite: ingest?.ratioToRawSqlite ?? null,
    gatewayEventsPerSec: ingest?.gateway.eventsPerSec ?? null,
    rawSqliteRowsPerSec: ingest?.rawSqlite.rowsPerSec ?? null,
    plainAedesMessagesPerSec: ingest?.plainAedes.messagesPerSec ?? null,
    p50Ms: latency?.gateway.p50Ms ?? null,
    p99Ms: latency?.gateway.p99Ms ?? null,
    plainAedesP50Ms: latency?.plainAedes.p50Ms ?? null,
    plainAedesP99Ms: latency?.plainAedes.p99Ms ?? null,
    rssMb: storage?.rssMb ?? null,
    bytesPerEventAboveBody: storage?.gateway.bytesPerRowAboveBody ?? null,
    rawSqliteBytesPerRowAboveBody: storage?.rawSqlite.bytesPerRowAboveBody ?? null,
    targets: evaluateTargets(figures),
    otherCpuPct: figures.otherCpuPct,
    ingest: ingest ?? null,
    latency: latency ?? null,
    storage: storage ?? null,
  });
}
