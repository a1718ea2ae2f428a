import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNilecare } from '../harness/gatewayProcess.ts';
import { testKafkaBrokers } from '../harness/kafka.ts';
import { metricValue, scrapeMetrics } from '../harness/prometheusText.ts';
import {
  createSyncTopics,
  deliveryReport,
  eventOf,
  readAllRecords,
  syncTopicNames,
  uniquePrefix,
} from '../harness/syncKafka.ts';
import { signInOverHttp } from '../harness/sessions.ts';
import { startTcpRelay, type TcpRelay } from '../harness/tcpRelay.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

/** Patients with the PHI a registration clerk enters: none of it may reach Kafka in plain text. */
const patients = [
  { patientId: 'p-amna', sudanNationalId: 'SD7391046285', phone: '+249912345678' },
  { patientId: 'p-huda', sudanNationalId: 'SD1122334455', phone: '+249923456781' },
  { patientId: 'p-omer', sudanNationalId: 'SD9988776655', phone: '+249934567812' },
];

/** A port nothing listens on yet: the gateway is told its brokers are there. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let gateway: TestGateway;
let nurseHeaders: { cookie: string };
let relay: TcpRelay | undefined;
let dropTopics: () => Promise<void>;
let brokerPort: number;
const prefix = uniquePrefix('offline');

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...nurseHeaders,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function ward(round: number) {
  for (const [index, patient] of patients.entries()) {
    if (round === 0) {
      await api('POST', '/api/v1/patients', {
        ...patient,
        firstName: 'Fatima',
        lastName: 'Ahmed',
        sex: 'female',
        birthDate: '1988-04-12',
      });
      await api('POST', `/api/v1/patients/${patient.patientId}/admissions`, {
        ward: 'Medical',
        bed: `M${index + 1}`,
      });
    }
    for (let n = 0; n < 5; n += 1)
      await api('POST', `/api/v1/patients/${patient.patientId}/vitals`, {
        heartRate: 70 + n,
        respiratoryRate: 16,
      });
  }
  await api('POST', `/api/v1/patients/${patients[0]!.patientId}/vitals`, { oxygenSaturation: 85 });
}

beforeAll(async () => {
  dropTopics = await createSyncTopics(prefix);
  brokerPort = await freePort();
  gateway = await startTestGateway({
    kafkaBrokers: [`127.0.0.1:${brokerPort}`],
    syncTopicPrefix: prefix,
    syncReconnectMinMs: 50,
    syncReconnectMaxMs: 400,
    syncRequestTimeoutMs: 5000,
    wards: 'Medical:M1-M4',
  });
  nurseHeaders = (await signInOverHttp(gateway, 'nurse', { displayName: 'Hawa' })).headers;
});
afterAll(async () => {
  await gateway?.stop();
  await relay?.close();
  await dropTopics();
});

describe('a gateway that records with the hub unreachable, then gets its link back', () => {
  it('keeps recording offline and says so: API, metrics and `nilecare sync status` show the waiting backlog', async () => {
    await ward(0);
    const status = await waitFor('the engine to report the hub unreachable', async () => {
      const current = await api('GET', '/api/v1/sync');
      return current.lastError ? current : undefined;
    });
    expect(status).toMatchObject({
      configured: true,
      engine: 'running',
      connected: false,
      estimatedDrainSeconds: null,
      lastSuccessfulSendAt: null,
      acknowledgedThroughSeq: 0,
      lastError: { code: 'SYNC_ERR_KAFKA_UNREACHABLE' },
    });
    const head = gateway.services.log.head.seq;
    expect(status.backlog).toBe(head);
    const lanes = Object.fromEntries(
      (status.lanes as { lane: string; backlog: number }[]).map((l) => [l.lane, l.backlog]),
    );
    expect(lanes.alert).toBe(1);
    expect(lanes.telemetry).toBe(16);
    // Everything else is clinical: registrations, admission sagas (bed, encounter, care team), admissions.
    expect(lanes.audit ?? 0).toBe(0);
    expect(lanes.clinical).toBe(head - 1 - 16);
    expect(lanes.clinical).toBeGreaterThanOrEqual(patients.length * 2);

    const metrics = await scrapeMetrics(gateway.httpPort);
    expect(metricValue(metrics, 'nilecare_sync_connected')).toBe(0);
    expect(metricValue(metrics, 'nilecare_sync_engine_running')).toBe(1);
    expect(metricValue(metrics, 'nilecare_sync_backlog_events', { lane: 'telemetry' })).toBe(16);
    expect(metricValue(metrics, 'nilecare_sync_backlog_events')).toBe(head);
    expect(metricValue(metrics, 'nilecare_sync_oldest_unsynced_seconds')).toBeGreaterThanOrEqual(0);
    expect(metricValue(metrics, 'nilecare_sync_send_errors_total', { kind: 'connect' })).toBeGreaterThan(0);

    const cli = await runNilecare(['sync', 'status', '--data-dir', gateway.dataDir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('Sync engine: running, not connected');
    expect(cli.stdout).toContain(`Backlog: ${head} events`);
    expect(cli.stdout).toContain('SYNC_ERR_KAFKA_UNREACHABLE');
  });

  it('sends everything once, in order per patient, when the link returns, and keeps sending what comes after', async () => {
    const [host, port] = testKafkaBrokers()[0]!.split(':');
    relay = await startTcpRelay(Number(port), { listenPort: brokerPort, targetHost: host! });
    await ward(1);
    const status = await waitFor(
      'the backlog to drain once the link is back',
      async () => {
        const current = await api('GET', '/api/v1/sync');
        return current.backlog === 0 && current.connected ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const head = gateway.services.log.head.seq;
    expect(status.acknowledgedThroughSeq).toBe(head);
    const records = await readAllRecords(syncTopicNames(prefix));
    const report = deliveryReport(records);
    expect(report.distinct).toBe(head);
    expect(report.outOfOrder).toEqual([]);
    const amna = records.filter(
      (record) => record.key === 'p-amna' && record.topic.endsWith('device-events'),
    );
    const seqs = amna.map((record) => eventOf(record).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const metrics = await scrapeMetrics(gateway.httpPort);
    expect(metricValue(metrics, 'nilecare_sync_connected')).toBe(1);
    expect(metricValue(metrics, 'nilecare_sync_backlog_events')).toBe(0);
    expect(metricValue(metrics, 'nilecare_sync_events_sent_total')).toBeGreaterThanOrEqual(head);
    expect(metricValue(metrics, 'nilecare_sync_last_success_timestamp_seconds')).toBeGreaterThan(0);
  });

  it('never lets a national ID or phone number leave in plain text (every raw record scanned)', async () => {
    const records = await readAllRecords(syncTopicNames(prefix));
    const registrations = records.filter((record) => record.headers.ce_type === 'patient_registered');
    expect(registrations).toHaveLength(patients.length);
    const everything = Buffer.concat(records.map((record) => record.raw));
    for (const { sudanNationalId, phone } of patients) {
      for (const secret of [sudanNationalId, phone, phone.slice(1), sudanNationalId.slice(2), phone.slice(4)])
        expect(everything.includes(Buffer.from(secret)), secret).toBe(false);
    }
    // What travels instead is the field's ciphertext with its key id.
    const data = JSON.parse(registrations[0]!.value.toString()).data as Record<string, string>;
    expect(data.sudanNationalId).toMatch(/^enc:v1:[^:]+:/);
    expect(data.phone).toMatch(/^enc:v1:[^:]+:/);
  });
});
