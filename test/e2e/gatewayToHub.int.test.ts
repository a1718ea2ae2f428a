import { metricValue } from '../harness/prometheusText.ts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopic, topicNames } from '../../kernel/kafka/kafkaTopics.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { resolveHubOptions } from '../../hub/hubOptions.ts';
import { testDatabase } from '../harness/postgres.ts';
import { type ProxiedKafka, startProxiedKafka } from '../harness/proxiedKafka.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { createSyncTopics, readAllRecords, recordCount, uniquePrefix } from '../harness/syncKafka.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';
import { drained, startEngine } from '../harness/syncedDataDir.ts';

// Sync end to end (docs/sync.md): gateway (sync engine) -> a link that is cut in the middle
// of batches again and again -> Kafka -> the hub's ingest guard -> PostgreSQL.
// The broker is this file's own (test/harness/proxiedKafka.ts): it advertises
// the relay's port, so every client, the hub's too, goes through the relay. The
// hub is therefore started once the cutting has stopped: only the gateway's
// link is cut, the hub reads over a healthy one.
let kafka: ProxiedKafka;
let database: Awaited<ReturnType<typeof testDatabase>>;
let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;
let dropTopics: () => Promise<void>;
let hub: Hub | undefined;
let stopEngine: (() => Promise<void>) | undefined;
const prefix = uniquePrefix('e2e');

beforeAll(async () => {
  kafka = await startProxiedKafka();
  dropTopics = await createSyncTopics(prefix, { brokers: kafka.brokers });
  database = await testDatabase('e2e_hub');
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, '2026-03-01T08:00:00.000Z');
}, 180_000);

afterAll(async () => {
  if (kafka) kafka.relay.onClientBytes = undefined;
  await stopEngine?.();
  await hub?.close();
  recorded?.close();
  dir?.remove();
  await dropTopics?.();
  await database?.drop();
  await kafka?.close();
}, 60_000);

const patients = [
  { patientId: 'p-amna', sudanNationalId: 'SD7391046285', phone: '+249912345678' },
  { patientId: 'p-huda', sudanNationalId: 'SD1122334455', phone: '+249923456781' },
  { patientId: 'p-omer', sudanNationalId: 'SD9988776655', phone: '+249934567812' },
  { patientId: 'p-4' },
  { patientId: 'p-5' },
  { patientId: 'p-6' },
];

async function recordWard() {
  for (const [index, patient] of patients.entries()) {
    const { patientId, ...phi } = patient;
    await recorded.record(
      'patient_registered',
      {
        firstName: `Patient${index}`,
        lastName: 'Test',
        sex: 'female',
        registeredAt: '2026-03-01T08:00:00.000Z',
        ...phi,
      },
      { patientId },
    );
  }
  // Six patients x 40 readings, then one critical SpO2 (an alert, the first lane).
  for (let n = 0; n < 40; n += 1)
    for (const { patientId } of patients)
      await recorded.reading(
        patientId,
        n + 1,
        { heartRate: { value: 70 + (n % 20), unit: '/min' } },
        `mon-${patientId}`,
      );
  await recorded.reading('p-amna', 1000, { oxygenSaturation: { value: 82, unit: '%' } }, 'mon-p-amna');
}

function startTheHub() {
  const options = resolveHubOptions({
    kafkaBrokers: kafka.brokers,
    databaseUrl: database.url,
    topicPrefix: prefix,
    consumerGroupPrefix: `${prefix}group`,
    httpHost: '127.0.0.1',
    httpPort: 0,
    retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
    gapGraceMs: 60_000,
    gapCheckIntervalMs: 200,
    outboxIntervalMs: 100,
    partitionsConsumedConcurrently: 3,
    logLevel: 'silent',
  });
  return startHub(options, { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) });
}

const eventTopicsOf = (p: string) => topicNames.map((topic) => `${p}${topic}`);

async function one<T extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<T> {
  const rows = (await hub!.pool.query<T>(sql, params)).rows;
  return rows[0]!;
}

describe('gateway to hub over a link cut in the middle of batches', () => {
  it('every event of the gateway is accepted at the hub exactly once, none dead-lettered, chain head equal', async () => {
    const gatewayId = recorded.services.identity.gatewayId;
    await recordWard();

    // Cut after a random 1-8 kB from the clients: inside produce requests, not between them.
    let cuts = 0;
    let sinceCut = 0;
    let nextCut = 1024;
    const wantedCuts = 15;
    kafka.relay.onClientBytes = (bytes) => {
      sinceCut += bytes;
      if (cuts >= wantedCuts || sinceCut < nextCut) return undefined;
      cuts += 1;
      sinceCut = 0;
      nextCut = 1024 + Math.floor(Math.random() * 7 * 1024);
      return 'cut';
    };
    const engine = startEngine(recorded.services, {
      topicPrefix: prefix,
      brokers: kafka.brokers,
      batchMaxEvents: 25,
      requestTimeoutMs: 3000,
      reconnect: { minMs: 20, maxMs: 200 },
    });
    stopEngine = () => engine.stop();
    // Recording goes on while the link flaps.
    for (let n = 0; cuts < wantedCuts; n += 1) {
      if (n > 600) throw new Error(`only ${cuts} cuts after ${n} extra readings`);
      await recorded.reading('p-4', 2000 + n, { heartRate: { value: 95, unit: '/min' } }, 'mon-p-4');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    kafka.relay.onClientBytes = undefined;
    expect(cuts).toBe(wantedCuts);
    await drained(recorded.services, 30_000);

    // Then the worst cut: the broker writes a batch but its acknowledgement never
    // reaches the gateway, the send fails, and the gateway must send it again
    // (a new producer: Kafka keeps both copies). Repeated until a duplicate is on
    // Kafka (a failure can also hit a request the broker never got, e.g. a reconnect).
    const transientErrors = async () =>
      metricValue(await recorded.services.metrics.registry.metrics(), 'nilecare_sync_send_errors_total', {
        kind: 'transient',
      });
    let onKafka = 0;
    let head = 0;
    for (let attempt = 0; attempt < 5 && onKafka <= head; attempt += 1) {
      const errorsBefore = await transientErrors();
      kafka.relay.dropReplies = true;
      for (let n = 0; n < 10; n += 1)
        await recorded.reading(
          'p-5',
          3000 + attempt * 100 + n,
          { heartRate: { value: 99, unit: '/min' } },
          'mon-p-5',
        );
      await waitFor(
        'a send to fail for want of its ack',
        async () => (await transientErrors()) > errorsBefore,
        {
          timeoutMs: 30_000,
          intervalMs: 50,
        },
      );
      kafka.relay.cutAll();
      kafka.relay.dropReplies = false;
      await drained(recorded.services, 30_000);
      head = recorded.services.log.head.seq;
      onKafka = await recordCount(eventTopicsOf(prefix), kafka.brokers);
    }
    expect(head).toBeGreaterThan(250);
    // Duplicates reached Kafka.
    expect(onKafka).toBeGreaterThan(head);

    hub = await startTheHub();
    const settled = await waitFor(
      'the hub to settle every event of the gateway',
      async () => {
        const row = await one<{ accepted: number; all: number; pending: number }>(
          `SELECT count(DISTINCT event_id) FILTER (WHERE status = 'accepted')::int AS accepted,
                  count(*)::int AS all,
                  count(*) FILTER (WHERE status = 'pending')::int AS pending
             FROM gateway_events WHERE gateway_id = $1`,
          [gatewayId],
        );
        return row.accepted === head && row.pending === 0 ? row : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // One row per event: every duplicate Kafka delivered was removed by eventId...
    expect(settled.all).toBe(head);
    // ...and the hub did see them, and counted them as duplicates.
    await waitFor(
      `the hub to count ${onKafka - head} duplicate records`,
      async () => {
        const response = await fetch(`http://127.0.0.1:${hub!.httpPort}/metrics`);
        const text = await response.text();
        return metricValue(text, 'events_processed_total', { outcome: 'duplicate' }) >= onKafka - head;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

    const chain = await one<{ head_seq: string }>(
      'SELECT head_seq FROM gateway_chains WHERE gateway_id = $1',
      [gatewayId],
    );
    expect(Number(chain.head_seq)).toBe(head);

    const refused = await one<{ rejected: number; rejections: number; gaps: number }>(
      `SELECT (SELECT count(*)::int FROM gateway_events WHERE gateway_id = $1 AND status = 'rejected') AS rejected,
              (SELECT count(*)::int FROM ingest_rejections WHERE gateway_id = $1) AS rejections,
              (SELECT count(*)::int FROM sequence_gaps WHERE gateway_id = $1) AS gaps`,
      [gatewayId],
    );
    expect(refused).toEqual({ rejected: 0, rejections: 0, gaps: 0 });

    // Nothing of this gateway on the dead-letter topic either.
    const letters = await readAllRecords([`${prefix}${deadLetterTopic}`], { brokers: kafka.brokers });
    expect(letters.filter((record) => record.headers.gatewayId === gatewayId)).toEqual([]);
  }, 120_000);
});
