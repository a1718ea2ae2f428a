import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { readSyncStatus } from '../../sync/syncStatus.ts';
import { type GatewayProcess, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { testKafkaBrokers } from '../harness/kafka.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import {
  createSyncTopics,
  deliveryReport,
  readAllRecords,
  syncTopicNames,
  uniquePrefix,
} from '../harness/syncKafka.ts';
import { addTestUser, loginOverHttp, type TestUser } from '../harness/sessions.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';
import { appendTelemetryBacklog } from '../harness/telemetryBacklog.ts';

const dir = tempDataDir();
const prefix = uniquePrefix('killed');
let dropTopics: () => Promise<void>;
let gateway: GatewayProcess | undefined;
let nurse: TestUser;
/** The nurse's session: kept in the database, so it outlives each SIGKILL. */
let nurseHeaders: { cookie: string } | undefined;

/** The gateway's database through a second connection: what it has committed. */
function committedStatus() {
  const db = new Database(dataPaths(dir.path).database, { readonly: true });
  try {
    return readSyncStatus(db, new Date());
  } finally {
    db.close();
  }
}

const env = () => ({
  NILECARE_KAFKA_BROKERS: testKafkaBrokers().join(','),
  NILECARE_SYNC_TOPIC_PREFIX: prefix,
  NILECARE_SYNC_BATCH_MAX_EVENTS: '200',
  // Slow enough that each kill lands while batches are on their way.
  NILECARE_SYNC_BANDWIDTH_BYTES_PER_SECOND: '1500000',
  NILECARE_SYNC_RECONNECT_MIN_MS: '50',
  NILECARE_SYNC_RECONNECT_MAX_MS: '500',
});

async function recordVitals(httpPort: number, n: number) {
  nurseHeaders ??= await loginOverHttp(`http://127.0.0.1:${httpPort}`, nurse.username, nurse.password);
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/patients/p-ward/vitals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...nurseHeaders },
    body: JSON.stringify({ heartRate: 60 + (n % 50), respiratoryRate: 15 }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  dropTopics = await createSyncTopics(prefix);
  const recorded = openRecordedDataDir(dir.path, new Date().toISOString());
  await recorded.registerAndAdmit('p-ward', 'Amna', { ward: 'A', bed: 'A1' });
  nurse = await addTestUser(recorded.services, 'nurse');
  appendTelemetryBacklog(recorded.services, 15_000);
  recorded.services.projections.catchUp(recorded.services.log);
  recorded.close();
});
afterAll(async () => {
  gateway?.child.kill('SIGKILL');
  await gateway?.exited;
  await dropTopics();
  dir.remove();
});

describe('the gateway process killed with SIGKILL while it syncs', () => {
  it('resumes from the cursors Kafka acknowledged after each restart: every event reaches Kafka', async () => {
    let delivered = 0;
    for (let kill = 0; kill < 3; kill += 1) {
      gateway = await startGatewayProcess(dir.path, { env: env() });
      for (let n = 0; n < 5; n += 1) await recordVitals(gateway.httpPort, kill * 10 + n);
      const target = delivered + 2000;
      await waitFor(
        `telemetry delivered past ${target}`,
        () => committedStatus().lanes[2]!.deliveredThroughSeq > target,
        { timeoutMs: 30_000, intervalMs: 20 },
      );
      gateway.child.kill('SIGKILL');
      expect(await gateway.exited).toMatchObject({ signal: 'SIGKILL' });
      delivered = committedStatus().lanes[2]!.deliveredThroughSeq;
      expect(committedStatus().backlog).toBeGreaterThan(0);
    }

    gateway = await startGatewayProcess(dir.path, { env: env() });
    const status = await waitFor(
      'the backlog to drain',
      () => {
        const current = committedStatus();
        return current.backlog === 0 ? current : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;

    const records = await readAllRecords(syncTopicNames(prefix));
    const report = deliveryReport(records);
    expect(report.distinct).toBe(status.headSeq);
    expect(report.outOfOrder).toEqual([]);
    expect(committedStatus().engine).toBe('stopped');
  }, 180_000);
});
