import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatewayAclPlan } from '../../../hub/security/gatewayAcls.ts';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { loadProvisionedConfig, provisionedPaths } from '../../../gateway/provisioning/gatewayConfig.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { createSyncTopics } from '../../harness/syncKafka.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

/**
 * Kafka transport security (docs/security.md), on a broker of its own (deploy/dev/kafka.sh
 * start-secure): PLAINTEXT for the hub's admin, SASL_SSL with SCRAM and ACLs
 * for gateways.
 */
const run = promisify(execFile);
const kafkaSh = fileURLToPath(new URL('../../../deploy/dev/kafka.sh', import.meta.url));

let kafkaDir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let plain: string;
let sasl: string;
let caFile: string;
const gateways: GatewayProcess[] = [];
const dataDirs: ReturnType<typeof tempDataDir>[] = [];

beforeAll(async () => {
  kafkaDir = tempDataDir('nilecare-secure-kafka-');
  secrets = tempDataDir('nilecare-secrets-');
  const { stdout } = await run(kafkaSh, ['start-secure', kafkaDir.path], { timeout: 170_000 });
  const value = (name: string) => {
    const found = stdout.match(new RegExp(`^${name}=(.+)$`, 'm'))?.[1];
    if (!found) throw new Error(`kafka.sh start-secure printed no ${name}:\n${stdout}`);
    return found.trim();
  };
  plain = value('KAFKA_BROKERS');
  sasl = value('KAFKA_SASL_BROKERS');
  caFile = value('KAFKA_CA');
  // The hub's topics, created by the admin on the PLAINTEXT listener, without a prefix (own broker).
  await createSyncTopics('', { brokers: [plain], partitions: 1 });
}, 180_000);

afterAll(async () => {
  if (kafkaDir) {
    await run(kafkaSh, ['stop', kafkaDir.path], { timeout: 60_000 }).catch(() => undefined);
    kafkaDir.remove();
  }
  secrets?.remove();
});

afterEach(async () => {
  for (const gateway of gateways.splice(0)) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  for (const dir of dataDirs.splice(0)) dir.remove();
});

function passwordFile(name: string, password: string): string {
  const path = join(secrets.path, name);
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return path;
}

/** Enrols `user` at the hub, provisions a gateway with `password`, adds a device, starts the gateway. */
async function provisionedGateway(user: string, hubPassword: string) {
  const dir = tempDataDir();
  dataDirs.push(dir);
  const kekFile = writeKekFile(secrets.path, `${user}-${dataDirs.length}.kek`);
  const provisioned = await runProvision(dir.path, kekFile, [
    '--hub-brokers',
    sasl,
    '--hub-user',
    user,
    '--hub-password-file',
    passwordFile(`${user}-gateway.password`, hubPassword),
    '--hub-ca',
    caFile,
  ]);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  const env = { NILECARE_KEK_FILE: kekFile };
  const added = await runNilecare(
    ['devices', 'add', 'monitor-sec-1', '--password', 'sec-device-secret-1', '--data-dir', dir.path],
    { env },
  );
  expect(added.code, added.stderr).toBe(0);
  const gateway = await startGatewayProcess(dir.path, {
    env: {
      ...env,
      NILECARE_HTTPS_PORT: '0',
      NILECARE_MQTTS_PORT: '0',
      NILECARE_BACKUP_SCHEDULE: '',
      NILECARE_SYNC_RECONNECT_MIN_MS: '200',
      NILECARE_SYNC_RECONNECT_MAX_MS: '1000',
    },
  });
  gateways.push(gateway);
  const config = loadProvisionedConfig(dir.path)!;
  const device = await mqtt.connectAsync(`mqtts://127.0.0.1:${gateway.mqttsPort}`, {
    username: 'monitor-sec-1',
    password: 'sec-device-secret-1',
    clientId: 'monitor-sec-1',
    reconnectPeriod: 0,
    ca: readFileSync(join(provisionedPaths(dir.path).tls, 'ca.crt')),
  });
  await device.publishAsync(
    `clinic/${config.identity.facilityId}/devices/monitor-sec-1/vitals`,
    vitalsPayload(1),
    { qos: 1 },
  );
  await device.endAsync();
  return { dir: dir.path, gatewayId: config.identity.gatewayId, gateway };
}

function syncState(dataDir: string) {
  const db = new Database(dataPaths(dataDir).database, { readonly: true });
  try {
    return db
      .prepare('SELECT connected, last_error_code, last_error, last_success_at FROM sync_state WHERE id = 1')
      .get() as {
      connected: number;
      last_error_code: string | null;
      last_error: string | null;
      last_success_at: string | null;
    };
  } finally {
    db.close();
  }
}

/** Every record on the topic, read by the admin over PLAINTEXT. */
async function recordsOn(topic: string): Promise<{ key: string; headers: Record<string, string> }[]> {
  const admin = new Kafka({ brokers: [plain], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    if (total === 0) return [];
  } finally {
    await admin.disconnect();
  }
  const consumer = new Kafka({ brokers: [plain], logLevel: logLevel.NOTHING }).consumer({
    groupId: `reader-${Date.now()}-${Math.random()}`,
  });
  const seen: { key: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({
        key: message.key?.toString() ?? '',
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
      });
    },
  });
  await waitFor(`records of ${topic}`, () => seen.length > 0 || undefined, {
    timeoutMs: 20_000,
    intervalMs: 100,
  });
  await consumer.disconnect();
  return seen;
}

describe('Kafka over SASL_SSL with per-gateway credentials and ACLs', () => {
  it('an enrolled, provisioned gateway syncs over SASL_SSL; its principal cannot write outside its ACLs', async () => {
    const hubPassword = 'gw-sec-password-1';
    const enrol = await runNilecare([
      'hub',
      'gateways',
      'enrol',
      'gw-sec-a',
      '--user',
      'gw-sec-a',
      '--password-file',
      passwordFile('gw-sec-a-hub.password', hubPassword),
      '--brokers',
      plain,
    ]);
    expect(enrol.code, enrol.stderr).toBe(0);
    expect(enrol.stdout).toMatch(/device-events/);
    expect(enrol.stdout).not.toMatch(/audit-events/);

    const { dir } = await provisionedGateway('gw-sec-a', hubPassword);
    await waitFor(
      'the sync engine to send over SASL_SSL',
      () => syncState(dir).last_success_at ?? undefined,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const records = await recordsOn('device-events');
    expect(records.some((record) => Object.values(record.headers).includes('vital_signs_recorded'))).toBe(
      true,
    );

    // The same credentials, straight from kafkajs: a topic outside the ACLs is refused.
    const direct = new Kafka({
      brokers: [sasl],
      ssl: { ca: [readFileSync(caFile, 'utf8')] },
      sasl: { mechanism: 'scram-sha-512', username: 'gw-sec-a', password: hubPassword },
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    }).producer({ allowAutoTopicCreation: false });
    await direct.connect();
    try {
      await direct.send({ topic: 'device-events', messages: [{ key: 'k', value: 'allowed' }] });
      const refused = await direct
        .send({ topic: 'audit-events', messages: [{ key: 'k', value: 'not allowed' }] })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(refused).toBeInstanceOf(Error);
      expect(
        JSON.stringify({ message: refused?.message, type: (refused as { type?: string })?.type }),
      ).toMatch(/TOPIC_AUTHORIZATION_FAILED|Topic authorization failed/);
    } finally {
      await direct.disconnect();
    }

    // Revoked: the user and its ACLs are gone, the next login fails.
    const revoke = await runNilecare(['hub', 'gateways', 'revoke', 'gw-sec-a', '--brokers', plain]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`${gatewayAclPlan('gw-sec-a', '', 'gw-sec-a').length} ACL(s) removed`);
    const after = new Kafka({
      brokers: [sasl],
      ssl: { ca: [readFileSync(caFile, 'utf8')] },
      sasl: { mechanism: 'scram-sha-512', username: 'gw-sec-a', password: hubPassword },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).producer();
    await expect(after.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  }, 180_000);

  it('a gateway with a wrong hub password is refused: the sync status shows it and nothing is sent', async () => {
    const enrol = await runNilecare([
      'hub',
      'gateways',
      'enrol',
      'gw-sec-b',
      '--password-file',
      passwordFile('gw-sec-b-hub.password', 'gw-sec-right-password-2'),
      '--brokers',
      plain,
    ]);
    expect(enrol.code, enrol.stderr).toBe(0);
    const admin = new Kafka({ brokers: [plain], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets('device-events');
    const { dir } = await provisionedGateway('gw-sec-b', 'gw-sec-wrong-password-2');
    const state = await waitFor(
      'the sync status to show the refused login',
      () => {
        const current = syncState(dir);
        return current.last_error_code ? current : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(`${state.last_error_code} ${state.last_error}`).toMatch(/SASL/);
    expect(state.connected).toBe(0);
    expect(state.last_success_at).toBeNull();
    const after = await admin.fetchTopicOffsets('device-events');
    await admin.disconnect();
    expect(after.map((partition) => partition.high)).toEqual(before.map((partition) => partition.high));
  }, 180_000);
});
