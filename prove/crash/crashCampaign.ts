import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { benchKafka } from '../../bench/syncKafka.ts';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { readSyncStatus } from '../../sync/syncStatus.ts';
import { addNurseWithCli } from '../../test/harness/actorHeaders.ts';
import { runNilecare, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { freePort } from '../../test/harness/mllpClient.ts';
import { openRecordedDataDir } from '../../test/harness/recordedDataDir.ts';
import {
  deliveryReport,
  eventOf,
  readAllRecords,
  syncTopicNames,
  uniquePrefix,
} from '../../test/harness/syncKafka.ts';
import { waitFor } from '../../test/harness/waitFor.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { devicePassword, newDeviceLedger, pubackedKeys } from './bedsideDevices.ts';
import { killDuringCommands } from './commandKills.ts';
import {
  type AcknowledgedFacts,
  acknowledgedNotStoredOnce,
  kafkaDeliveryProblems,
  sagasLeftHalfway,
} from './crashInvariants.ts';
import { killMidWork, type Ward } from './crashRound.ts';
import { newInstrumentLedger } from './lineClients.ts';
import { readLogContents } from './logContents.ts';
import { chainProblem, readModelsAgainstReplay } from './replayCheck.ts';
import { between, seededRandom } from './seededRandom.ts';
import { newNurseLedger, proveWards } from './wardNurse.ts';

const DEVICES = 50;
/** Kills of the full form (docs/reliability.md#crash-campaign); `--rounds` overrides. */
const FULL_KILLS = 1000;
const SHORT_KILLS = 5;
/** When the kill comes after the gateway is ready, in milliseconds. */
const KILL_AFTER_MS = { min: 500, max: 4000 };
/** Events per sync batch: at most this many can reach Kafka twice per kill. */
const SYNC_BATCH_MAX_EVENTS = 200;

const acknowledgedBy = (ward: Ward): AcknowledgedFacts => ({
  mqtt: pubackedKeys(ward.devices),
  http: ward.nurse.eventIds,
  admission: ward.nurse.admissions,
  astm: ward.analyzer.acknowledged,
  hl7: ward.hl7.acknowledged,
});

/** A data folder with 50 monitors, the HL7 monitor's patient and the nurse, set up as a clinic's admin would. */
async function prepareWard(dataDir: string, env: Record<string, string>, intervalMs: number): Promise<Ward> {
  const folder = openRecordedDataDir(dataDir, new Date().toISOString());
  const devices = Array.from({ length: DEVICES }, (_, i) => newDeviceLedger(`prove-monitor-${i + 1}`));
  for (const device of devices)
    await folder.services.registry.add({
      deviceId: device.deviceId,
      password: devicePassword(device.deviceId),
    });
  const hl7PatientId = 'p-prove-hl7';
  await folder.record(
    'patient_registered',
    { firstName: 'Monitored', lastName: 'Patient', sex: 'female', registeredAt: new Date().toISOString() },
    { patientId: hl7PatientId },
  );
  folder.close();
  await addNurseWithCli(dataDir);
  const [astmPort, hl7Port] = [await freePort(), await freePort()];
  writeFileSync(
    join(dataDir, 'drivers.json'),
    JSON.stringify({
      tcpListeners: [
        {
          protocol: 'astm',
          host: '127.0.0.1',
          port: astmPort,
          deviceId: 'prove-analyzer',
          utcOffset: '+02:00',
        },
        { protocol: 'hl7', host: '127.0.0.1', port: hl7Port, utcOffset: '+02:00' },
      ],
    }),
  );
  const { facilityId } = JSON.parse(readFileSync(dataPaths(dataDir).identity, 'utf8')) as {
    facilityId: string;
  };
  return {
    dataDir,
    facilityId,
    env,
    astmPort,
    hl7Port,
    hl7PatientId,
    devices,
    nurse: newNurseLedger(),
    analyzer: newInstrumentLedger(),
    hl7: newInstrumentLedger(),
    readingIntervalMs: intervalMs,
  };
}

/** The last start: no load; the backlog drains to Kafka and every saga ends, then a clean SIGTERM. */
async function settle(ward: Ward): Promise<{ headSeq: number }> {
  const gateway = await startGatewayProcess(ward.dataDir, { env: ward.env, readyTimeoutMs: 60_000 });
  try {
    return await waitFor(
      'the backlog to drain to Kafka',
      () => {
        const db = new Database(dataPaths(ward.dataDir).database, { readonly: true });
        try {
          const status = readSyncStatus(db, new Date());
          return status.backlog === 0 ? { headSeq: status.headSeq } : undefined;
        } finally {
          db.close();
        }
      },
      { timeoutMs: 300_000, intervalMs: 200 },
    );
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
}

export const crashCampaign: Campaign = {
  name: 'crash',
  summary:
    'SIGKILL the gateway at random moments under a whole ward of load, and during backup, restore, reencrypt',
  async run(options: CampaignOptions): Promise<CampaignReport> {
    const started = Date.now();
    const random = seededRandom(options.seed);
    const kills = options.rounds ?? (options.size === 'short' ? SHORT_KILLS : FULL_KILLS);
    /** A replay per kill costs a whole rebuild of a log that grows each round; the full form replays every tenth. */
    const replayEvery = options.size === 'short' ? 1 : 10;
    const violations: Violation[] = [];
    const limitations: string[] = [];
    const kafka = await benchKafka();
    const prefix = uniquePrefix('prove-crash');
    await kafka.createTopics(prefix, 3);
    try {
      const dataDir = join(options.workDir, 'data');
      mkdirSync(dataDir);
      const env = {
        NILECARE_KAFKA_BROKERS: kafka.brokers.join(','),
        NILECARE_SYNC_TOPIC_PREFIX: prefix,
        NILECARE_SYNC_BATCH_MAX_EVENTS: String(SYNC_BATCH_MAX_EVENTS),
        NILECARE_SYNC_RECONNECT_MIN_MS: '50',
        NILECARE_SYNC_RECONNECT_MAX_MS: '500',
        NILECARE_WARDS: proveWards,
      };
      const ward = await prepareWard(dataDir, env, 250);
      let replays = 0;
      let sagasOpenAtAKill = 0;
      let startMsMax = 0;
      let round = 0;
      for (round = 1; round <= kills; round += 1) {
        const killAfter = between(random, KILL_AFTER_MS.min, KILL_AFTER_MS.max);
        const { signal, startMs } = await killMidWork(ward, killAfter);
        startMsMax = Math.max(startMsMax, startMs);
        if (signal !== 'SIGKILL')
          violations.push({ round, guarantee: 'the gateway was killed', detail: `it exited with ${signal}` });
        const log = readLogContents(dataDir);
        for (const detail of acknowledgedNotStoredOnce(acknowledgedBy(ward), log.facts))
          violations.push({ round, guarantee: 'acknowledged means stored exactly once', detail });
        sagasOpenAtAKill += sagasLeftHalfway(log.sagas).length;
        const { problem } = chainProblem(dataPaths(dataDir).database);
        if (problem)
          violations.push({ round, guarantee: 'the hash chain verifies, seq gapless', detail: problem });
        if (round % replayEvery === 0 || round === kills) {
          replays += 1;
          for (const detail of readModelsAgainstReplay(dataDir, options.workDir))
            violations.push({ round, guarantee: 'read models equal a fresh replay', detail });
        }
        options.progress(
          `kill ${round}/${kills} after ${killAfter} ms: ${log.events} events, ${violations.length} violations`,
        );
      }
      const kafkaRecords = await settleAndReadKafka(ward, prefix, kafka.brokers);
      const log = readLogContents(dataDir);
      const verify = await runNilecare(['verify', '--data-dir', dataDir]);
      if (verify.code !== 0)
        violations.push({
          round: kills,
          guarantee: 'nilecare verify passes',
          detail: `${verify.stdout}${verify.stderr}`.trim(),
        });
      for (const detail of sagasLeftHalfway(log.sagas))
        violations.push({ round: kills, guarantee: 'every admission saga completed or compensated', detail });
      for (const detail of acknowledgedNotStoredOnce(acknowledgedBy(ward), log.facts))
        violations.push({ round: kills, guarantee: 'acknowledged means stored exactly once', detail });
      const delivery = deliveryReport(kafkaRecords);
      const copies = new Map<string, number>();
      for (const record of kafkaRecords) {
        const { eventId } = eventOf(record);
        copies.set(eventId, (copies.get(eventId) ?? 0) + 1);
      }
      for (const detail of kafkaDeliveryProblems(
        log.eventIds,
        { copies, outOfOrder: delivery.outOfOrder },
        kills * SYNC_BATCH_MAX_EVENTS,
      ))
        violations.push({
          round: kills,
          guarantee: 'Kafka holds every event, duplicates only from kills',
          detail,
        });
      const commands = await killDuringCommands(dataDir, options, random);
      violations.push(...commands.violations);
      limitations.push(...commands.limitations);
      const acknowledged = acknowledgedBy(ward);
      return {
        campaign: 'crash',
        rounds: round - 1,
        roundUnit: 'kills',
        figures: {
          devices: DEVICES,
          events: log.events,
          pubacks: acknowledged.mqtt.size,
          http2xx: acknowledged.http.size,
          alertAcks: ward.nurse.acknowledgements,
          registrations: ward.nurse.registrations,
          discharges: ward.nurse.discharges,
          admissions: acknowledged.admission.size,
          astmAcked: acknowledged.astm.size,
          hl7AA: acknowledged.hl7.size,
          replays,
          sagasOpenAtAKill,
          sagasStarted: log.sagas.started.size,
          kafkaRecords: kafkaRecords.length,
          kafkaDuplicates: delivery.duplicates,
          ...commands.figures,
          startMsMax,
        },
        violations,
        limitations: [
          ...(replayEvery > 1
            ? [
                `read models compared with a fresh replay after every ${replayEvery}th kill and the last (a replay rebuilds the whole log)`,
              ]
            : []),
          ...limitations,
        ],
        durationMs: Date.now() - started,
      };
    } finally {
      await kafka.deleteTopics(prefix);
      await kafka.stop();
    }
  },
};

async function settleAndReadKafka(ward: Ward, prefix: string, brokers: string[]) {
  await settle(ward);
  return readAllRecords(syncTopicNames(prefix), { brokers, timeoutMs: 120_000 });
}
