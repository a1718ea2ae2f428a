/**
 * RSS and bytes on disk per event with a big log, in a process of its own
 * (run by childProcess.ts with --expose-gc) so that the RSS is the gateway's
 * alone. The log is filled through the real write path, the one the MQTT
 * ingest takes after aedes: parseVitalsPayload -> vitalsDraft -> recorder.record,
 * in concurrent bursts that group commit writes as one transaction each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVitalsPayload, vitalsDraft } from '../gateway/broker/vitalsPayload.ts';
import type { RecordOutcome } from '../gateway/recording/clinicalRecorder.ts';
import { tempDataDir } from '../test/harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../test/harness/testGateway.ts';
import { serveParent } from './childProcess.ts';
import { type DiskUse, diskUse, insertInBatches, openRawLog } from './rawSqliteBaseline.ts';
import { benchDeviceId, vitalsReading } from './vitalsReadings.ts';

export interface StorageCommand {
  events: number;
  burst: number;
  devices: number;
}

export interface StorageFigures {
  events: number;
  fillSeconds: number;
  /** Readings recorded per second while filling (recorder only: no MQTT). */
  recorderEventsPerSec: number;
  rssEmptyMb: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** RSS split as Linux counts it: anonymous (heap, SQLite cache, malloc) and file-backed (node binary, native modules). */
  rssAnonMb: number | null;
  rssFileMb: number | null;
  peakRssMb: number;
  gateway: DiskUse;
  rawSqlite: DiskUse;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** A line of /proc/self/status in MB (Linux only). */
function statusMb(field: string): number | null {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync('/proc/self/status', 'utf8'),
    )?.[1];
    return kb === undefined ? null : mb(Number(kb) * 1024);
  } catch {
    return null;
  }
}

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('storageFootprint needs node --expose-gc');
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
}

async function fill(gateway: TestGateway, command: StorageCommand): Promise<void> {
  const { facility, recorder, newId } = gateway.services;
  const seqs = Array.from({ length: command.devices }, () => 0);
  const started = performance.now();
  for (let done = 0; done < command.events; ) {
    const burst: Promise<RecordOutcome>[] = [];
    for (let index = done; index < Math.min(done + command.burst, command.events); index += 1) {
      const device = index % command.devices;
      const seq = seqs[device]! + 1;
      seqs[device] = seq;
      const deviceId = benchDeviceId(device);
      const raw = Buffer.from(vitalsReading(seq, false));
      const parsed = parseVitalsPayload(raw);
      if (!parsed.ok) throw new Error(`bench reading refused: ${parsed.issues[0]?.message}`);
      const draft = vitalsDraft(parsed.payload, { deviceId, ...facility, newId });
      burst.push(
        recorder.record({
          draft,
          channel: 'mqtt',
          origin: deviceId,
          raw,
          deviceKey: `${deviceId}/vitals#${seq}`,
        }),
      );
    }
    const outcomes = await Promise.all(burst);
    const refused = outcomes.find((outcome) => outcome.status !== 'appended');
    if (refused) throw new Error(`a bench reading was not appended: ${JSON.stringify(refused)}`);
    const before = done;
    done += burst.length;
    if (Math.floor(done / 100_000) > Math.floor(before / 100_000) || done === command.events) {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `storage: ${done} events stored, ${Math.round(done / seconds)}/s, RSS ${mb(process.memoryUsage().rss)} MB`,
      );
    }
  }
}

async function measureStorage(command: StorageCommand): Promise<StorageFigures> {
  const gateway = await startTestGateway();
  const rawDir = tempDataDir('nilecare-bench-raw-');
  try {
    await settle();
    const rssEmptyMb = mb(process.memoryUsage().rss);
    const started = performance.now();
    await fill(gateway, command);
    const fillSeconds = (performance.now() - started) / 1000;
    await settle();
    const memory = process.memoryUsage();
    const rssSplit = { rssAnonMb: statusMb('RssAnon'), rssFileMb: statusMb('RssFile') };
    const peakRssMb = mb(process.resourceUsage().maxRSS * 1024);
    const gatewayDisk = diskUse(gateway.services.db, join(gateway.dataDir, 'gateway.db'));
    const bodies = (
      gateway.services.db.prepare('SELECT body FROM events ORDER BY seq DESC LIMIT 1000').all() as {
        body: string;
      }[]
    ).map((row) => row.body);

    console.log(`storage: raw better-sqlite3 baseline, ${command.events} rows of the same bodies`);
    const rawPath = join(rawDir.path, 'raw.db');
    const raw = openRawLog(rawPath);
    insertInBatches(raw, command.events, command.burst, bodies, command.devices);
    const rawDisk = diskUse(raw, rawPath);
    raw.close();
    return {
      events: command.events,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      recorderEventsPerSec: Math.round(command.events / fillSeconds),
      rssEmptyMb,
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
      heapTotalMb: mb(memory.heapTotal),
      externalMb: mb(memory.external),
      ...rssSplit,
      peakRssMb,
      gateway: gatewayDisk,
      rawSqlite: rawDisk,
    };
  } finally {
    await gateway.stop();
    rawDir.remove();
  }
}

serveParent<StorageCommand>((command) => measureStorage(command));
