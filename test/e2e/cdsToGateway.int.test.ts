import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { downstreamTopic } from '../../kernel/kafka/kafkaTopics.ts';
import { resolveHubOptions } from '../../hub/hubOptions.ts';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { testKafka, testKafkaBrokers } from '../harness/kafka.ts';
import { testDatabase } from '../harness/postgres.ts';
import { createSyncTopics, uniquePrefix } from '../harness/syncKafka.ts';
import { addTestUser, sessionCookieFor } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

// Hub to gateway, end to end (docs/hub.md#hub-to-gateway): a nurse prescribes two interacting drugs
// on a real gateway (HTTP API, SQLite log), its sync engine sends them to the
// shared Kafka, the hub's ingest guard and CDS (PostgreSQL) find the
// interaction and send it back on gateway-downstream, and the gateway appends
// it to its own log, where the patient's timeline shows it.
const prefix = uniquePrefix('cds-e2e');
let dropTopics: () => Promise<void>;
let database: Awaited<ReturnType<typeof testDatabase>>;
let hub: Hub;
let gateway: TestGateway;
let other: TestGateway;

const cookies = new Map<TestGateway, { cookie: string }>();

beforeAll(async () => {
  dropTopics = await createSyncTopics(prefix);
  const admin = testKafka('cds-e2e-admin').admin();
  await admin.connect();
  const topic = `${prefix}${downstreamTopic}`;
  await admin.createTopics({
    waitForLeaders: false,
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
  });
  await waitFor(
    'the downstream topic leaders',
    () =>
      admin
        .fetchTopicMetadata({ topics: [topic] })
        .then((metadata) => metadata.topics[0]?.partitions.every((partition) => partition.leader >= 0))
        .catch(() => false),
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  await admin.disconnect();
  database = await testDatabase('cds_e2e');
  hub = await startHub(
    resolveHubOptions({
      kafkaBrokers: testKafkaBrokers(),
      databaseUrl: database.url,
      topicPrefix: prefix,
      consumerGroupPrefix: `${prefix}group`,
      services: ['ingest-guard', 'cds'],
      httpHost: '127.0.0.1',
      httpPort: 0,
      retry: { attempts: 8, initialDelayMs: 50, maxDelayMs: 1000 },
      outboxIntervalMs: 100,
      logLevel: 'silent',
    }),
    { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
  );
  const gatewayOptions = { kafkaBrokers: testKafkaBrokers(), syncTopicPrefix: prefix };
  gateway = await startTestGateway(gatewayOptions);
  other = await startTestGateway(gatewayOptions);
  for (const target of [gateway, other])
    cookies.set(target, sessionCookieFor(target.services, await addTestUser(target.services, 'physician')));
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await other?.stop();
  await hub?.close();
  await database?.drop();
  const admin = testKafka('cds-e2e-admin').admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [`${prefix}${downstreamTopic}`] }).catch(() => undefined);
  await admin.disconnect();
  await dropTopics?.();
}, 60_000);

async function post(target: TestGateway, path: string, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${target.httpPort}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...cookies.get(target) },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Record<string, unknown>;
}

async function timeline(target: TestGateway, patientId: string) {
  const response = await fetch(`http://127.0.0.1:${target.httpPort}/api/v1/patients/${patientId}/timeline`, {
    headers: cookies.get(target),
  });
  return (
    (await response.json()) as {
      events: {
        eventType: string;
        source: string;
        data: Record<string, unknown>;
        causationId?: string;
        metadata?: { fromHub?: { topic: string } };
      }[];
    }
  ).events;
}

describe('a drug interaction found at the hub', () => {
  it('appears in the gateway log and on the patient timeline, with the hub as its source', async () => {
    const patientId = 'p-e2e-cds';
    await post(gateway, '/api/v1/patients', {
      patientId,
      firstName: 'Amna',
      lastName: 'Osman',
      sex: 'female',
    });
    await post(other, '/api/v1/patients', {
      patientId: 'p-other',
      firstName: 'Huda',
      lastName: 'Ali',
      sex: 'female',
    });
    await post(gateway, `/api/v1/patients/${patientId}/medications`, {
      drugName: 'warfarin',
      dose: { value: 5, unit: 'mg' },
      route: 'oral',
      frequency: 'daily',
    });
    const aspirin = await post(gateway, `/api/v1/patients/${patientId}/medications`, {
      drugName: 'aspirin',
      dose: { value: 300, unit: 'mg' },
      route: 'oral',
      frequency: 'daily',
    });
    const finding = await waitFor(
      'the interaction on the gateway timeline',
      async () =>
        (await timeline(gateway, patientId)).find(
          (event) => event.eventType === 'medication_interaction_detected',
        ),
      { timeoutMs: 60_000 },
    );
    expect(finding).toMatchObject({
      source: 'cds-service',
      gatewayId: gateway.services.identity.gatewayId,
      data: { severity: 'major', drugs: [{ drugName: 'aspirin' }, { drugName: 'warfarin' }] },
    });
    const prescribed = (await timeline(gateway, patientId)).find(
      (event) =>
        event.eventType === 'medication_prescribed' &&
        event.data.medicationRequestId === aspirin.prescriptionId,
    );
    expect(finding.causationId).toBe((prescribed as unknown as { eventId: string }).eventId);
    expect(finding.metadata?.fromHub?.topic).toBe(`${prefix}${downstreamTopic}`);
  });

  it('is appended once, and not to another gateway', async () => {
    const { rows } = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cds_findings');
    expect(rows[0]?.n).toBe(1);
    // Give a redelivery or a second consumer time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const count = (target: TestGateway) =>
      target.services.db
        .prepare<[], { n: number }>(
          `SELECT count(*) AS n FROM events WHERE event_type = 'medication_interaction_detected'`,
        )
        .get()?.n;
    expect(count(gateway)).toBe(1);
    expect(count(other)).toBe(0);
  });
});
