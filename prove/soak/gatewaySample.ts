import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dataPaths } from '../../gateway/openGatewayStore.ts';

/** A value of the gateway's /metrics (Prometheus text), or NaN when absent. */
export function metricOf(text: string, name: string): number {
  const line = text.split('\n').find((each) => each.startsWith(`${name} `) || each.startsWith(`${name}{`));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Resident set size of a process from /proc/<pid>/status (VmRSS, kB), in MB. */
function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function walMb(dataDir: string): number {
  try {
    return statSync(`${dataPaths(dataDir).database}-wal`).size / 1024 / 1024;
  } catch {
    return 0;
  }
}

/**
 * The soak's figures of a gateway process: RSS and open file descriptors
 * from /proc, the WAL file's size, heap used and event-loop delay p99 from
 * its /metrics (prom-client's default nodejs_* metrics).
 */
export async function sampleGateway(
  pid: number,
  dataDir: string,
  baseUrl: string,
): Promise<Record<string, number>> {
  const metrics = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  return {
    rssMb: rssMb(pid),
    heapUsedMb: metricOf(metrics, 'nodejs_heap_size_used_bytes') / 1024 / 1024,
    openFds: readdirSync(`/proc/${pid}/fd`).length,
    walMb: walMb(dataDir),
    eventLoopP99Ms: metricOf(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    logEvents: metricOf(metrics, 'nilecare_event_log_events'),
  };
}
