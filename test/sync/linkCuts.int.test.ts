import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricValue } from '../harness/prometheusText.ts';
import { type ProxiedKafka, startProxiedKafka } from '../harness/proxiedKafka.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import {
  createSyncTopics,
  deliveryReport,
  readAllRecords,
  syncTopicNames,
  uniquePrefix,
} from '../harness/syncKafka.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';
import { drained, startEngine, syncStatusOf } from '../harness/syncedDataDir.ts';
import { appendTelemetryBacklog } from '../harness/telemetryBacklog.ts';

// A broker of this file's own, reached only through a relay that cuts the
// link (docs/sync.md, "How the tests cut the link"): it advertises the
// relay's port, so metadata sends kafkajs back through the relay every time.
let kafka: ProxiedKafka;
let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;
let prefix: string;
let dropTopics: () => Promise<void>;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  kafka = await startProxiedKafka();
}, 180_000);
afterAll(async () => {
  await kafka?.close();
});
beforeEach(async () => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, '2026-03-01T08:00:00.000Z');
  prefix = uniquePrefix('cuts');
  dropTopics = await createSyncTopics(prefix, { brokers: kafka.brokers });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  recorded.close();
  dir.remove();
  await dropTopics();
});

function engine() {
  const started = startEngine(recorded.services, {
    topicPrefix: prefix,
    brokers: kafka.brokers,
    batchMaxEvents: 500,
    requestTimeoutMs: 3000,
    reconnect: { minMs: 20, maxMs: 300 },
  });
  stops.push(() => started.stop());
  return started;
}

async function ward() {
  for (let p = 1; p <= 4; p += 1)
    await recorded.registerAndAdmit(`p-${p}`, `Patient${p}`, { ward: 'A', bed: `A${p}` });
}

async function expectEverythingOnceInOrder() {
  const head = recorded.services.log.head.seq;
  const records = await readAllRecords(syncTopicNames(prefix), { brokers: kafka.brokers });
  const report = deliveryReport(records);
  // What the hub counts after removing duplicates by eventId: exactly the gateway's events.
  expect(report.distinct).toBe(head);
  expect(report.outOfOrder).toEqual([]);
  return report;
}

describe('a link to Kafka that drops again and again', () => {
  it('loses nothing when the connection is cut in the middle of batches many times', async () => {
    await ward();
    appendTelemetryBacklog(recorded.services, 20_000);
    engine();
    // Cut after a random 4-40 kB from the gateway: inside its produce requests, not between them.
    let cuts = 0;
    let sinceCut = 0;
    let nextCut = 4096;
    kafka.relay.onClientBytes = (bytes) => {
      sinceCut += bytes;
      if (cuts >= 30 || sinceCut < nextCut) return undefined;
      cuts += 1;
      sinceCut = 0;
      nextCut = 4096 + Math.floor(Math.random() * 36_000);
      return 'cut';
    };
    const recording = (async () => {
      // Recording goes on while the link flaps.
      for (let n = 0; cuts < 30; n += 1) {
        await recorded.reading('p-1', 1000 + n, { heartRate: { value: 90, unit: '/min' } });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await waitFor('30 cuts', () => cuts >= 30, { timeoutMs: 90_000 });
    kafka.relay.onClientBytes = undefined;
    await recording;
    await recorded.reading('p-2', 5000, { oxygenSaturation: { value: 82, unit: '%' } });
    await drained(recorded.services, 90_000);
    const exposition = await recorded.services.metrics.registry.metrics();
    // The cuts hit sends in flight (kafkajs retries a cut request twice itself; the third cut fails the send).
    expect(
      metricValue(exposition, 'nilecare_sync_send_errors_total', { kind: 'transient' }),
    ).toBeGreaterThanOrEqual(5);
    const report = await expectEverythingOnceInOrder();
    expect(report.distinct).toBeGreaterThan(20_000);
  }, 180_000);

  it('loses nothing when the broker is restarted during sync', async () => {
    await ward();
    appendTelemetryBacklog(recorded.services, 15_000);
    engine();
    await waitFor(
      'some readings on Kafka',
      () => syncStatusOf(recorded.services).lanes[2]!.deliveredThroughSeq > 1000,
      {
        timeoutMs: 30_000,
      },
    );
    await kafka.stopBroker();
    await recorded.reading('p-3', 1, { oxygenSaturation: { value: 82, unit: '%' } }); // an alert while the hub is down
    await waitFor('the engine to notice', () => !syncStatusOf(recorded.services).connected, {
      timeoutMs: 20_000,
    });
    expect(syncStatusOf(recorded.services).backlog).toBeGreaterThan(0);
    await kafka.startBroker();
    await drained(recorded.services, 90_000);
    expect(syncStatusOf(recorded.services).connected).toBe(true);
    await expectEverythingOnceInOrder();
  }, 180_000);
});
