import { join } from 'node:path';
import { tempDataDir } from '../test/harness/tempDataDir.ts';
import type { BenchOptions } from './benchOptions.ts';
import {
  commitBatches,
  countEvents,
  cpuPercent,
  fleetEntry,
  startBenchGateway,
  tsxExecArgv,
} from './benchGateway.ts';
import { runChild } from './childProcess.ts';
import type { FleetDevice, FloodCommand, FloodResult } from './fleetProtocol.ts';
import { startPlainBroker } from './plainAedesBaseline.ts';
import { insertInBatches, openRawLog } from './rawSqliteBaseline.ts';
import { benchDeviceId, vitalsTopic } from './vitalsReadings.ts';

export interface IngestFigures {
  messages: number;
  gateway: {
    eventsPerSec: number;
    elapsedMs: number;
    meanBatch: number;
    commits: number;
    stored: number;
    brokerCpuPct: number;
    fleetCpuPct: number;
  };
  rawSqlite: { rowsPerSec: number; batchSize: number; elapsedMs: number };
  plainAedes: { messagesPerSec: number; elapsedMs: number; brokerCpuPct: number; fleetCpuPct: number };
  ratioToRawSqlite: number;
  ratioToPlainAedes: number;
}

interface Flood {
  result: FloodResult;
  brokerCpuPct: number;
}

/** Runs the device fleet's flood against a broker; `atStart` runs when warm-up is over, just before the clock starts. */
async function flood(command: FloodCommand, atStart?: () => Promise<void>): Promise<Flood> {
  let cpuBefore = process.cpuUsage();
  const result = await runChild<FloodResult>(fleetEntry, tsxExecArgv, command, async () => {
    await atStart?.();
    cpuBefore = process.cpuUsage();
  });
  return { result, brokerCpuPct: cpuPercent(cpuBefore, result.elapsedMs) };
}

interface GatewayFlood extends Flood {
  meanBatch: number;
  commits: number;
  stored: number;
  /** Bodies of stored readings, so the raw loop writes rows of the same size. */
  bodies: string[];
}

/** The gateway under a flood; the group commit's batches are read from its metric around the measured part. */
async function floodGateway(
  options: BenchOptions,
  flood: (url: string, devices: FleetDevice[], atStart?: () => Promise<void>) => Promise<Flood>,
): Promise<GatewayFlood> {
  const { gateway, devices } = await startBenchGateway(options.publishers);
  try {
    let before = { sum: 0, count: 0 };
    const measured = await flood(`mqtt://127.0.0.1:${gateway.mqttPort}`, devices, async () => {
      before = await commitBatches(gateway.services.metrics);
    });
    const after = await commitBatches(gateway.services.metrics);
    const stored = countEvents(gateway, 'vital_signs_recorded');
    const expected = measured.result.acked + options.warmupPerPublisher * options.publishers;
    if (stored !== expected)
      throw new Error(`gateway stored ${stored} readings, expected ${expected} (every PUBACKed one)`);
    const sample =
      "SELECT body FROM events WHERE event_type = 'vital_signs_recorded' ORDER BY seq DESC LIMIT 1000";
    const bodies = (gateway.services.db.prepare(sample).all() as { body: string }[]).map((row) => row.body);
    const commits = after.count - before.count;
    return { ...measured, meanBatch: (after.sum - before.sum) / commits, commits, stored, bodies };
  } finally {
    await gateway.stop();
  }
}

function rawInsertLoop(rows: number, batchSize: number, bodies: readonly string[]): { elapsedMs: number } {
  const rawDir = tempDataDir('nilecare-bench-raw-');
  try {
    const db = openRawLog(join(rawDir.path, 'raw.db'));
    const result = insertInBatches(db, rows, batchSize, bodies);
    db.close();
    return result;
  } finally {
    rawDir.remove();
  }
}

async function floodPlainBroker(
  options: BenchOptions,
  flood: (url: string, devices: FleetDevice[]) => Promise<Flood>,
): Promise<Flood> {
  const broker = await startPlainBroker();
  try {
    const devices = Array.from({ length: options.publishers }, (_, index) => {
      const deviceId = benchDeviceId(index);
      return { deviceId, password: '', topic: vitalsTopic('facility-bench', deviceId) };
    });
    return await flood(`mqtt://127.0.0.1:${broker.port}`, devices);
  } finally {
    await broker.close();
  }
}

/** Durable ingest through the gateway, beside a raw SQLite loop with the same batching and a plain aedes broker. */
export async function measureIngest(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<IngestFigures> {
  const perDevice = Math.ceil(options.messages / options.publishers);
  const messages = perDevice * options.publishers;
  const floodWith = (mqttUrl: string, devices: FleetDevice[], atStart?: () => Promise<void>) =>
    flood(
      {
        kind: 'flood',
        mqttUrl,
        devices,
        warmupPerDevice: options.warmupPerPublisher,
        perDevice,
        window: options.window,
      },
      atStart,
    );

  log(
    `ingest: gateway, ${options.publishers} publishers x ${perDevice} QoS 1 readings, window ${options.window}`,
  );
  const gateway = await floodGateway(options, floodWith);
  const batchSize = Math.max(1, Math.round(gateway.meanBatch));
  log(`ingest: raw better-sqlite3, ${messages} rows in transactions of ${batchSize}`);
  const raw = rawInsertLoop(messages, batchSize, gateway.bodies);
  log(
    `ingest: plain aedes, ${options.publishers} publishers x ${perDevice} QoS 1 messages, window ${options.window}`,
  );
  const plain = await floodPlainBroker(options, floodWith);

  const perSec = (count: number, ms: number) => Math.round((count / ms) * 1000);
  const fleetCpu = (run: Flood) => Math.round((run.result.cpuMs / run.result.elapsedMs) * 100);
  const gatewayRate = perSec(gateway.result.acked, gateway.result.elapsedMs);
  const rawRate = perSec(messages, raw.elapsedMs);
  const plainRate = perSec(plain.result.acked, plain.result.elapsedMs);
  return {
    messages,
    gateway: {
      eventsPerSec: gatewayRate,
      elapsedMs: Math.round(gateway.result.elapsedMs),
      meanBatch: Math.round(gateway.meanBatch * 10) / 10,
      commits: gateway.commits,
      stored: gateway.stored,
      brokerCpuPct: gateway.brokerCpuPct,
      fleetCpuPct: fleetCpu(gateway),
    },
    rawSqlite: { rowsPerSec: rawRate, batchSize, elapsedMs: Math.round(raw.elapsedMs) },
    plainAedes: {
      messagesPerSec: plainRate,
      elapsedMs: Math.round(plain.result.elapsedMs),
      brokerCpuPct: plain.brokerCpuPct,
      fleetCpuPct: fleetCpu(plain),
    },
    ratioToRawSqlite: Math.round((gatewayRate / rawRate) * 1000) / 1000,
    ratioToPlainAedes: Math.round((gatewayRate / plainRate) * 1000) / 1000,
  };
}
