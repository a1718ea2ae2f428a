import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { runNilecare, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../test/harness/recordedDataDir.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import {
  connectDevices,
  type DeviceLedger,
  devicePassword,
  newDeviceLedger,
  pubackedKeys,
} from '../crash/bedsideDevices.ts';
import { acknowledgedNotStoredOnce } from '../crash/crashInvariants.ts';
import { readLogContents } from '../crash/logContents.ts';
import { chainProblem } from '../crash/replayCheck.ts';
import { between, seededRandom } from '../crash/seededRandom.ts';
import { holdWritebackOff, type LoopDisk, makeImage, mountImage, requireRoot } from './loopDisk.ts';

const DEVICES = 10;
const FULL_CUTS = 100;
const SHORT_CUTS = 3;
const IMAGE_MB = 128;
/** The disk is small (its image is copied at every cut): the storage guard's thresholds scaled to it (docs/operations.md). */
const SMALL_DISK_ENV = {
  NILECARE_STORAGE_LOW_WATER_BYTES: String(24 * 1024 * 1024),
  NILECARE_STORAGE_CRITICAL_BYTES: String(12 * 1024 * 1024),
  NILECARE_STORAGE_RECOVER_MARGIN_BYTES: String(4 * 1024 * 1024),
};
/** When the power goes, after the gateway is ready, in milliseconds. */
const CUT_AFTER_MS = { min: 2000, max: 6000 };

const none = new Set<string>();

/**
 * One power cut: the gateway works on the disk, is frozen (SIGSTOP) at a
 * random moment, the disk's image is copied as it stands (only what was synced
 * is in it), then the gateway is killed and the copy becomes the disk the
 * next boot finds. Returns the new disk.
 */
async function cutPower(
  disk: LoopDisk,
  round: number,
  devices: DeviceLedger[],
  facilityId: string,
  cutAfterMs: number,
  workDir: string,
): Promise<LoopDisk> {
  const dataDir = join(disk.mountPoint, 'data');
  const gateway = await startGatewayProcess(dataDir, { env: SMALL_DISK_ENV, readyTimeoutMs: 60_000 });
  const clients = await connectDevices(devices, gateway.mqttPort, facilityId, 100);
  await new Promise((resolve) => setTimeout(resolve, cutAfterMs)); // the random moment is the point
  // The control: written without fsync just before the cut, it must not survive it.
  writeFileSync(join(disk.mountPoint, `unsynced-${round}`), Buffer.alloc(65_536, 1));
  gateway.child.kill('SIGSTOP');
  const image = join(workDir, `disk-${round}.img`);
  copyFileSync(disk.image, image);
  gateway.child.kill('SIGKILL');
  await gateway.exited;
  await clients.closed();
  await clients.stop();
  disk.detach();
  rmSync(disk.image, { force: true });
  return mountImage(image, disk.mountPoint);
}

export const powerlossCampaign: Campaign = {
  name: 'powerloss',
  summary:
    'cut the power under the gateway: only what it synced is on the disk after, and everything acknowledged is',
  async run(options: CampaignOptions): Promise<CampaignReport> {
    const started = Date.now();
    requireRoot();
    const random = seededRandom(options.seed);
    const cuts = options.rounds ?? (options.size === 'short' ? SHORT_CUTS : FULL_CUTS);
    const violations: Violation[] = [];
    const mountPoint = join(options.workDir, 'mnt');
    const first = join(options.workDir, 'disk-0.img');
    makeImage(first, IMAGE_MB);
    let disk = mountImage(first, mountPoint);
    const restoreWriteback = holdWritebackOff();
    try {
      const dataDir = join(mountPoint, 'data');
      const devices = Array.from({ length: DEVICES }, (_, i) =>
        newDeviceLedger(`powerloss-monitor-${i + 1}`),
      );
      const folder = openRecordedDataDir(dataDir, new Date().toISOString());
      for (const device of devices)
        await folder.services.registry.add({
          deviceId: device.deviceId,
          password: devicePassword(device.deviceId),
        });
      folder.close();
      const { facilityId } = JSON.parse(readFileSync(dataPaths(dataDir).identity, 'utf8')) as {
        facilityId: string;
      };
      let events = 0;
      let unsyncedSurvived = 0;
      let round = 0;
      for (round = 1; round <= cuts; round += 1) {
        const cutAfter = between(random, CUT_AFTER_MS.min, CUT_AFTER_MS.max);
        disk = await cutPower(disk, round, devices, facilityId, cutAfter, options.workDir);
        const canary = join(mountPoint, `unsynced-${round}`);
        if (existsSync(canary) && statSync(canary).size > 0) unsyncedSurvived += 1;
        const { problem } = chainProblem(dataPaths(dataDir).database);
        if (problem)
          violations.push({ round, guarantee: 'the database opens and its chain verifies', detail: problem });
        const log = readLogContents(dataDir);
        events = log.events;
        const acknowledged = {
          mqtt: pubackedKeys(devices),
          http: none,
          admission: none,
          astm: none,
          hl7: none,
        };
        for (const detail of acknowledgedNotStoredOnce(acknowledged, log.facts))
          violations.push({ round, guarantee: 'PUBACKed means on the disk after a power cut, once', detail });
        options.progress(
          `cut ${round}/${cuts} after ${cutAfter} ms: ${events} events, ${violations.length} violations`,
        );
      }
      // A simulation in which unsynced writes survive cuts nothing: it would prove nothing.
      if (unsyncedSurvived > 0)
        violations.push({
          round: cuts,
          guarantee: 'the simulated cut drops what was not synced',
          detail: `${unsyncedSurvived} of ${cuts} unsynced control files survived their cut`,
        });
      const verify = await runNilecare(['verify', '--data-dir', dataDir]);
      if (verify.code !== 0)
        violations.push({
          round: cuts,
          guarantee: 'nilecare verify passes',
          detail: `${verify.stdout}${verify.stderr}`.trim(),
        });
      return {
        campaign: 'powerloss',
        rounds: round - 1,
        roundUnit: 'cuts',
        figures: {
          devices: DEVICES,
          events,
          pubacks: pubackedKeys(devices).size,
          unsyncedWritesSurvived: unsyncedSurvived,
          unacknowledgedAtLastCut: devices.reduce((sum, d) => sum + d.unacknowledged.size, 0),
        },
        violations,
        limitations: [
          'no device-mapper on this machine (dm-flakey): the cut is a copy of a direct-I/O loop device image taken while the gateway is frozen, with periodic writeback held off and ext4 committing every 300 s; a sync by another program on the machine during a round can only make a cut gentler, never harsher',
        ],
        durationMs: Date.now() - started,
      };
    } finally {
      restoreWriteback();
      disk.detach();
    }
  },
};
