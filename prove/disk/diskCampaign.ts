import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { addNurseWithCli } from '../../test/harness/actorHeaders.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../test/harness/recordedDataDir.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { type DeviceLedger, devicePassword, newDeviceLedger, pubackedKeys } from '../crash/bedsideDevices.ts';
import { acknowledgedNotStoredOnce } from '../crash/crashInvariants.ts';
import { readLogContents } from '../crash/logContents.ts';
import { chainProblem } from '../crash/replayCheck.ts';
import { newNurseLedger, proveWards } from '../crash/wardNurse.ts';
import { type LoopDisk, makeImage, mountImage } from '../powerloss/loopDisk.ts';
import {
  type FillCycle,
  fillCycleProblems,
  type InjectedFault,
  injectedFaultProblems,
  integrityProblems,
  type PressureAttempts,
} from './diskInvariants.ts';
import {
  clinicianRound,
  criticalReading,
  drainBacklog,
  integrityCheck,
  refusedInputs,
  storageState,
  telemetryBurst,
  waitForStorageState,
} from './diskWard.ts';
import { buildIoFaultShim, type IoFault, type IoFaultShim } from './ioFaultShim.ts';

const MB = 1024 * 1024;
const IMAGE_MB = 256;
const DEVICES = 10;
/** Each monitor publishes this often during a fill: ten monitors, some 500 readings a second. */
const FILL_INTERVAL_MS = 20;
const FULL_CYCLES = 8;
const SHORT_CYCLES = 1;
const SHORT_FAULTS: readonly IoFault[] = ['ENOSPC', 'EIO'];
const FULL_FAULTS: readonly IoFault[] = ['ENOSPC', 'EIO', 'ENOSPC', 'EIO', 'ENOSPC', 'EIO'];
/** The storage guard's marks scaled to the small disk (docs/operations.md#when-the-disk-fills). */
const LOW_WATER = 48 * MB;
const CRITICAL = 24 * MB;
const GATEWAY_ENV = {
  NILECARE_STORAGE_LOW_WATER_BYTES: String(LOW_WATER),
  NILECARE_STORAGE_CRITICAL_BYTES: String(CRITICAL),
  NILECARE_STORAGE_RECOVER_MARGIN_BYTES: String(4 * MB),
  NILECARE_STORAGE_CHECK_EVERY_MS: '500',
  NILECARE_WARDS: proveWards,
};
const ward = proveWards.split(':')[0]!;

const none = new Set<string>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new Error('the disk campaign needs root (losetup, mount of its small file system): run it as root');
}

/** Free bytes of the data folder's file system, as the storage guard counts them (bavail). */
const freeBytes = (dir: string) => {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
};

/** Grows (or shrinks) the other writer's file so that `free` bytes are left on the file system. */
function fillUntilFree(filler: string, free: number): number {
  const mountPoint = join(filler, '..');
  const current = existsSync(filler) ? statSync(filler).size : 0;
  const size = Math.max(0, current + freeBytes(mountPoint) - free);
  rmSync(filler, { force: true });
  if (size > 0) execFileSync('fallocate', ['-l', String(size), filler]);
  return size;
}

/** The gateway under test, restarted when it exits. */
interface GatewayUnderTest {
  process: GatewayProcess;
  exited: boolean;
}

export const diskCampaign: Campaign = {
  name: 'disk',
  summary:
    'fill the data disk to the brim and fail commits with ENOSPC/EIO: telemetry refused, clinical facts taken, nothing acknowledged lost',
  async run(options: CampaignOptions): Promise<CampaignReport> {
    const started = Date.now();
    requireRoot();
    const cycles = options.rounds ?? (options.size === 'short' ? SHORT_CYCLES : FULL_CYCLES);
    const faults = options.size === 'short' ? SHORT_FAULTS : FULL_FAULTS;
    const violations: Violation[] = [];
    const image = join(options.workDir, 'disk.img');
    makeImage(image, IMAGE_MB);
    // No blocks reserved for root (the gateway runs as root here): full means full.
    execFileSync('tune2fs', ['-m', '0', image], { stdio: 'ignore' });
    const disk: LoopDisk = mountImage(image, join(options.workDir, 'mnt'));
    let gateway: GatewayUnderTest | undefined;
    try {
      const shim: IoFaultShim = buildIoFaultShim(options.workDir);
      const dataDir = join(disk.mountPoint, 'data');
      const filler = join(disk.mountPoint, 'filler');
      const monitors = Array.from({ length: DEVICES }, (_, i) => newDeviceLedger(`disk-monitor-${i + 1}`));
      const alarms = Array.from({ length: 3 * cycles + faults.length }, (_, i) =>
        newDeviceLedger(`disk-alarm-${i + 1}`),
      );
      const folder = openRecordedDataDir(dataDir, new Date().toISOString());
      for (const device of [...monitors, ...alarms])
        await folder.services.registry.add({
          deviceId: device.deviceId,
          password: devicePassword(device.deviceId),
        });
      folder.close();
      await addNurseWithCli(dataDir);
      const { facilityId } = JSON.parse(readFileSync(dataPaths(dataDir).identity, 'utf8')) as {
        facilityId: string;
      };
      const nurse = newNurseLedger();
      const start = async (): Promise<GatewayUnderTest> => {
        const process = await startGatewayProcess(dataDir, {
          env: { ...GATEWAY_ENV, ...shim.env },
          readyTimeoutMs: 60_000,
        });
        const running: GatewayUnderTest = { process, exited: false };
        void process.exited.then(() => {
          running.exited = true;
        });
        return running;
      };
      /** The database as the gateway left it, checked while it is down. */
      const checkStore = (round: number, when: string) => {
        for (const detail of integrityProblems(integrityCheck(dataPaths(dataDir).database)))
          violations.push({ round, guarantee: `the database is sound ${when}`, detail });
        const { problem } = chainProblem(dataPaths(dataDir).database);
        if (problem) violations.push({ round, guarantee: `the chain verifies ${when}`, detail: problem });
      };
      gateway = await start();
      let refusals = 0;
      let criticalTaken = 0;
      let clinicianTaken = 0;
      let fillerMaxBytes = 0;
      let brimCriticalTaken = 0;
      let brimClinicianTaken = 0;
      let brimClinicianTried = 0;
      let brimTelemetryPubacked = 0;
      let cycle = 0;
      const alarmOf = (() => {
        let next = 0;
        return () => alarms[next++]!;
      })();

      const attempts = async (state: string): Promise<PressureAttempts> => {
        const { httpPort, mqttPort } = gateway!.process;
        const seen = (await storageState(httpPort)) ?? 'no answer';
        const telemetry = await telemetryBurst(monitors, mqttPort, facilityId, FILL_INTERVAL_MS, 1000);
        const critical = await criticalReading(alarmOf(), mqttPort, facilityId);
        const clinician = await clinicianRound(httpPort, nurse, ward);
        if (critical) criticalTaken += 1;
        clinicianTaken += clinician.taken;
        options.progress(
          `  ${state}: critical reading ${critical ? 'taken' : 'REFUSED'}, clinician ${clinician.taken}/${clinician.tried}, telemetry ${telemetry.quietPubacked} of ${telemetry.sent} PUBACKed`,
        );
        return {
          state: seen,
          criticalReadingTaken: critical,
          clinicianActionsTried: clinician.tried,
          clinicianActionsTaken: clinician.taken,
          telemetrySent: telemetry.sent,
          telemetryPubacked: telemetry.quietPubacked,
        };
      };

      for (cycle = 1; cycle <= cycles; cycle += 1) {
        const { httpPort, mqttPort } = gateway.process;
        const refusedBefore = await refusedInputs(httpPort);
        // (a) the gateway fills the disk itself: the other writer leaves it just above the low-water mark.
        fillerMaxBytes = Math.max(fillerMaxBytes, fillUntilFree(filler, LOW_WATER + 4 * MB));
        await waitForStorageState(httpPort, 'ok', 10_000);
        const fillUntil = Date.now() + 90_000;
        let state = await storageState(httpPort);
        while (state === 'ok' && Date.now() < fillUntil) {
          await telemetryBurst(monitors, mqttPort, facilityId, FILL_INTERVAL_MS, 2000);
          state = await storageState(httpPort);
        }
        const filledByGateway = state === 'low';
        const low = await attempts('low');
        // (b) another writer takes the disk below the critical mark, toward the last reserve.
        fillerMaxBytes = Math.max(fillerMaxBytes, fillUntilFree(filler, CRITICAL - 8 * MB));
        await waitForStorageState(httpPort, 'critical', 10_000);
        const critical = await attempts('critical');
        // The brim: not one free block left (the image has no blocks reserved for root).
        fillerMaxBytes = Math.max(fillerMaxBytes, fillUntilFree(filler, 0));
        const brimCritical = await criticalReading(alarmOf(), mqttPort, facilityId);
        const brimClinician = await clinicianRound(httpPort, nurse, ward);
        const brimTelemetry = await telemetryBurst(monitors, mqttPort, facilityId, FILL_INTERVAL_MS, 1000);
        const brim = { gatewayAnswered: (await storageState(httpPort)) !== undefined };
        if (brimCritical) brimCriticalTaken += 1;
        brimClinicianTaken += brimClinician.taken;
        brimClinicianTried += brimClinician.tried;
        brimTelemetryPubacked += brimTelemetry.quietPubacked;
        options.progress(
          `  brim (${freeBytes(disk.mountPoint)} bytes free): critical reading ${brimCritical ? 'taken' : 'refused'}, clinician ${brimClinician.taken}/${brimClinician.tried}`,
        );
        // Space returns: the other writer's file is deleted.
        rmSync(filler, { force: true });
        const stateAfterDrain = (await waitForStorageState(httpPort, 'ok', 20_000)) ?? 'no answer';
        const backlogDrained = await drainBacklog(monitors, mqttPort, facilityId, 60_000);
        const refused = (await refusedInputs(httpPort)) - refusedBefore;
        refusals += refused;
        const seen: FillCycle = { filledByGateway, low, critical, brim, stateAfterDrain, backlogDrained };
        for (const detail of fillCycleProblems(seen, refused))
          violations.push({
            round: cycle,
            guarantee: 'a full disk refuses telemetry, takes clinical facts and resumes',
            detail,
          });
        options.progress(
          `fill cycle ${cycle}/${cycles}: ${refused} refusals, ${violations.length} violations`,
        );
      }

      let gatewayExits = 0;
      let readingsRefusedInFaults = 0;
      let killsDuringFaults = 0;
      let clinicianRefusedInFaults = 0;
      const faultOutcomes: string[] = [];
      for (const [index, fault] of faults.entries()) {
        const round = cycles + index + 1;
        const hitsBefore = shim.hits();
        const { httpPort, mqttPort } = gateway.process;
        const load = Promise.all([
          telemetryBurst(monitors, mqttPort, facilityId, FILL_INTERVAL_MS, 3000),
          (async () => {
            await sleep(800);
            return clinicianRound(httpPort, nurse, ward);
          })(),
        ]);
        await sleep(500);
        shim.inject(fault);
        await sleep(1500);
        // Every other round the gateway is also killed while the fault is on: its next start
        // recovers a WAL whose last writes or syncs failed.
        const killed = index % 2 === 1;
        if (killed) {
          gateway.process.child.kill('SIGKILL');
          await gateway.process.exited;
          killsDuringFaults += 1;
        }
        shim.clear();
        const [telemetry, clinician] = await load;
        readingsRefusedInFaults += telemetry.sent - telemetry.pubacked;
        clinicianRefusedInFaults += clinician.tried - clinician.taken;
        await sleep(1000);
        const exited = gateway.exited;
        if (exited) {
          if (!killed) gatewayExits += 1;
          checkStore(round, `after the gateway exited on ${fault}`);
          gateway = await start();
        }
        const acceptingAfter =
          (await storageState(gateway.process.httpPort)) !== undefined &&
          (await drainBacklog(monitors, gateway.process.mqttPort, facilityId, 30_000));
        const seen: InjectedFault = {
          fault,
          failedCalls: shim.hits() - hitsBefore,
          exited,
          acceptingAfter,
          clinicianRefusals: clinician.refusedCodes,
        };
        faultOutcomes.push(`${fault}:${killed ? 'killed' : exited ? 'exited' : 'kept running'}`);
        for (const detail of injectedFaultProblems(seen))
          violations.push({
            round,
            guarantee: 'a failed commit fails closed and the gateway carries on',
            detail,
          });
        options.progress(
          `${fault} in commits: ${seen.failedCalls} calls failed, gateway ${killed ? 'killed during it and restarted' : exited ? 'exited and restarted' : 'kept running'}`,
        );
      }

      gateway.process.child.kill('SIGTERM');
      await gateway.process.exited;
      gateway = undefined;
      const rounds = cycles + faults.length;
      checkStore(rounds, 'at the end');
      const verify = await runNilecare(['verify', '--data-dir', dataDir]);
      if (verify.code !== 0)
        violations.push({
          round: rounds,
          guarantee: 'nilecare verify passes',
          detail: `${verify.stdout}${verify.stderr}`.trim(),
        });
      const log = readLogContents(dataDir);
      const devices: DeviceLedger[] = [...monitors, ...alarms];
      const acknowledged = {
        mqtt: pubackedKeys(devices),
        http: nurse.eventIds,
        admission: nurse.admissions,
        astm: none,
        hl7: none,
      };
      for (const detail of acknowledgedNotStoredOnce(acknowledged, log.facts))
        violations.push({ round: rounds, guarantee: 'everything acknowledged is in the log once', detail });
      return {
        campaign: 'disk',
        rounds,
        roundUnit: 'fills+faults',
        figures: {
          fillCycles: cycle - 1,
          faultsInjected: faults.length,
          imageMb: IMAGE_MB,
          fillerMaxMb: Math.round(fillerMaxBytes / MB),
          telemetryRefusals: refusals,
          criticalReadingsTaken: criticalTaken,
          clinicianActionsTaken: clinicianTaken,
          brimCriticalReadingsTaken: brimCriticalTaken,
          brimClinicianActions: `${brimClinicianTaken}/${brimClinicianTried}`,
          brimTelemetryPubacked,
          pubacks: acknowledged.mqtt.size,
          httpEventsAcknowledged: nurse.eventIds.size,
          admissions: nurse.admissions.size,
          events: log.events,
          failedIoCalls: shim.hits(),
          gatewayExits,
          killsDuringFaults,
          readingsRefusedInFaults,
          clinicianRefusedInFaults,
          faultOutcomes: faultOutcomes.join(' '),
        },
        violations,
        limitations: [
          'the I/O errors are injected by an LD_PRELOAD shim on write/pwrite/fsync/fdatasync of gateway.db and its WAL (no dm-error or dm-flakey on this machine): reads, mmap writes to the WAL index and errors of the file system itself are not simulated',
        ],
        durationMs: Date.now() - started,
      };
    } finally {
      if (gateway && !gateway.exited) {
        gateway.process.child.kill('SIGKILL');
        await gateway.process.exited;
      }
      disk.detach();
    }
  },
};
