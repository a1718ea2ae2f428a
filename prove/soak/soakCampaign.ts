import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listenForAlerts } from '../../bench/alertListeners.ts';
import { percentile } from '../../bench/percentiles.ts';
import { benchKafka } from '../../bench/syncKafka.ts';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { addTestUser, sessionCookieFor } from '../../test/harness/sessions.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { metricOf, sampleGateway } from './gatewaySample.ts';
import { startSimulatedWard, type WardDevice } from './simulatedWard.ts';
import { nurseRounds, soakWard } from './nurseRounds.ts';
import { type SoakSample, slopesPerHour, soakTolerances, upwardTrends } from './soakTrend.ts';

const beds = 100;

/** The data folder with the ward's monitors and a nurse, written before the gateway starts. */
async function prepareWard(dataDir: string): Promise<{ devices: WardDevice[]; nurse: { cookie: string } }> {
  mkdirSync(dataDir, { recursive: true });
  const store = openGatewayStore(
    resolveGatewayOptions({ dataDir, logLevel: 'silent' }),
    () => new Date(),
    uuidV7,
  );
  try {
    const devices: WardDevice[] = [];
    for (let bed = 1; bed <= beds; bed += 1) {
      const deviceId = `soak-monitor-${String(bed).padStart(3, '0')}`;
      const { password } = await store.registry.add({ deviceId, bed: `S${bed}` });
      devices.push({ deviceId, password });
    }
    return { devices, nurse: sessionCookieFor(store, await addTestUser(store, 'nurse')) };
  } finally {
    store.db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const hours = options.hours ?? (options.size === 'short' ? 2.5 / 60 : 24);
  const sampleEveryMs = options.size === 'short' ? 15_000 : 60_000;
  const durationMs = hours * 3_600_000;
  // The warm-up left out of the trend: the first hour, or the first third of a run shorter than three hours.
  const warmUpMs = Math.min(3_600_000, durationMs / 3);
  const dataDir = join(options.workDir, 'gateway');
  const { devices, nurse } = await prepareWard(dataDir);
  const kafka = await benchKafka();
  const prefix = `soak${Date.now()}.`;
  await kafka.createTopics(prefix, 1);
  const gateway = await startGatewayProcess(dataDir, {
    // A loaded machine and a first connection to Kafka: more than the harness's 20 s default.
    readyTimeoutMs: 90_000,
    env: {
      NILECARE_KAFKA_BROKERS: kafka.brokers.join(','),
      NILECARE_SYNC_TOPIC_PREFIX: prefix,
      NILECARE_WARDS: soakWard.env,
    },
  });
  const baseUrl = `http://127.0.0.1:${gateway.httpPort}`;
  const facilityId = ((await (await fetch(`${baseUrl}/health`)).json()) as { facilityId: string }).facilityId;
  const criticalSentAt = new Map<string, number>();
  let latencies: number[] = [];
  const allLatencies: number[] = [];
  const listener = await listenForAlerts(
    { kind: 'sse', url: `${baseUrl}/api/v1/stream`, cookie: nurse.cookie },
    (key, at) => {
      const sentAt = key === undefined ? undefined : criticalSentAt.get(key);
      if (sentAt === undefined) return;
      criticalSentAt.delete(key!);
      latencies.push(at - sentAt);
      allLatencies.push(at - sentAt);
    },
  );
  const ward = await startSimulatedWard(
    gateway.mqttPort,
    (deviceId) => `clinic/${facilityId}/devices/${deviceId}/vitals`,
    devices,
    criticalSentAt,
  );
  const rounds = nurseRounds(baseUrl, nurse);
  const samples: SoakSample[] = [];
  const violations: Violation[] = [];
  let syncedEvents = 0;
  let nurseRoundsLate = 0;
  let samplesMissed = 0;
  try {
    for (let at = sampleEveryMs; at <= durationMs; at += sampleEveryMs) {
      await sleep(Math.max(0, started + at - Date.now()));
      if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) {
        violations.push({
          round: samples.length,
          guarantee: 'the gateway runs through the soak',
          detail: gateway.recentOutput().slice(-500),
        });
        break;
      }
      // A round or a sample the gateway did not answer in time is counted, and the soak goes on.
      await rounds.round(samples.length).catch(() => {
        nurseRoundsLate += 1;
      });
      const figures = await sampleGateway(gateway.pid, dataDir, baseUrl).catch(() => undefined);
      if (!figures) {
        samplesMissed += 1;
        continue;
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      latencies = [];
      samples.push({
        atMs: at,
        figures: { ...figures, alertP99Ms: sorted.length > 0 ? percentile(sorted, 0.99) : Number.NaN },
      });
      options.progress(
        `${Math.round(at / 1000)} s: rss ${figures.rssMb!.toFixed(0)} MB, heap ${figures.heapUsedMb!.toFixed(0)} MB, fds ${figures.openFds}, wal ${figures.walMb!.toFixed(1)} MB, loop p99 ${figures.eventLoopP99Ms!.toFixed(1)} ms, alert p99 ${sorted.length > 0 ? percentile(sorted, 0.99).toFixed(0) : '-'} ms, ${figures.logEvents} events`,
      );
    }
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    syncedEvents = metricOf(metrics, 'nilecare_sync_events_sent_total');
  } finally {
    await ward.stop();
    await listener.close();
    gateway.child.kill('SIGTERM');
    await Promise.race([gateway.exited, sleep(15_000)]);
    if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
    await kafka.deleteTopics(prefix);
    await kafka.stop();
  }
  violations.push(...upwardTrends(samples, warmUpMs));
  if (samplesMissed > samples.length)
    violations.push({
      round: samples.length,
      guarantee: 'the gateway answers its monitoring through the soak',
      detail: `${samplesMissed} samples missed (/metrics not answered in 30 s), ${samples.length} taken`,
    });
  const slopes = slopesPerHour(samples, warmUpMs);
  const counts = ward.counts();
  const last = samples[samples.length - 1]?.figures ?? {};
  const sortedAll = allLatencies.sort((a, b) => a - b);
  return {
    campaign: 'soak',
    rounds: samples.length,
    roundUnit: 'samples',
    figures: {
      beds,
      minutes: Math.round((samples[samples.length - 1]?.atMs ?? 0) / 60_000),
      readingsPublished: counts.published,
      readingsAcknowledged: counts.acknowledged,
      alertsTimed: sortedAll.length,
      alertP99Ms: sortedAll.length > 0 ? Math.round(percentile(sortedAll, 0.99)) : 0,
      acknowledgements: rounds.counts().acknowledged,
      admissions: rounds.counts().admitted,
      syncedEvents,
      samplesMissed,
      nurseRoundsLate,
      events: last.logEvents ?? 0,
      rssMb: Math.round(last.rssMb ?? 0),
      ...Object.fromEntries(
        Object.keys(soakTolerances).map((name) => [`${name}PerHour`, Number((slopes[name] ?? 0).toFixed(1))]),
      ),
    },
    violations,
    limitations: [],
    durationMs: Date.now() - started,
  };
}

export const soakCampaign: Campaign = {
  name: 'soak',
  summary:
    'a 100-bed ward at one reading a second with alerts, acknowledgements, admissions and sync; no figure trends upward',
  run,
};
