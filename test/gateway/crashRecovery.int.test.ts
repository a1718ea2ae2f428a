import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { vitalsDeviceKey, vitalsPayload } from '../harness/vitalsReadings.ts';

// docs/architecture.md#guarantee-1 (acknowledged means durable), tested the hard way:
// a gateway process receiving QoS 1 readings is killed with SIGKILL at a
// random moment, again and again; after each restart every reading that was
// PUBACKed is in the log exactly once and `nilecare verify` passes.

const DEVICES = ['crash-monitor-1', 'crash-monitor-2', 'crash-monitor-3', 'crash-monitor-4'];
const ROUNDS = 6;
/** Publishes each device keeps waiting for their PUBACK. */
const WINDOW = 16;
/** When the kill comes, after publishing started, in milliseconds. */
const KILL_AFTER_MS = { min: 300, max: 1500 };

const passwordOf = (deviceId: string) => `pw-${deviceId}`;

/** What one simulated device has sent and what the gateway acknowledged, across restarts. */
interface DeviceLedger {
  nextSeq: number;
  /** Payload of every seq sent, so a retransmission is byte for byte the same. */
  sent: Map<number, string>;
  acknowledged: Set<number>;
}

const ledgers = new Map<string, DeviceLedger>(
  DEVICES.map((deviceId) => [deviceId, { nextSeq: 1, sent: new Map(), acknowledged: new Set() }]),
);
const dir = tempDataDir('nilecare-crash-');
let running: GatewayProcess | undefined;
let facilityId: string;

beforeAll(async () => {
  // The first command creates the database; the others then register side by side.
  const [first, ...rest] = DEVICES;
  const results = [
    await runNilecare(['devices', 'add', first!, '--password', passwordOf(first!), '--data-dir', dir.path]),
  ];
  results.push(
    ...(await Promise.all(
      rest.map((deviceId) =>
        runNilecare(['devices', 'add', deviceId, '--password', passwordOf(deviceId), '--data-dir', dir.path]),
      ),
    )),
  );
  for (const result of results) expect(result.code, result.stderr).toBe(0);
  facilityId = (JSON.parse(readFileSync(dataPaths(dir.path).identity, 'utf8')) as { facilityId: string })
    .facilityId;
});

afterAll(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  dir.remove();
});

function connect(deviceId: string, mqttPort: number): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: deviceId,
      username: deviceId,
      password: passwordOf(deviceId),
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

/**
 * Publishes QoS 1 readings with increasing seq, WINDOW at a time, until told
 * to stop. It first resends what the last round sent without a PUBACK, as a
 * device does after its link comes back. Only a PUBACK marks a seq
 * acknowledged.
 */
function publishContinuously(client: MqttClient, deviceId: string, topic: string): { stop(): void } {
  const ledger = ledgers.get(deviceId)!;
  let stopped = false;
  let inFlight = 0;
  const send = (seq: number) => {
    inFlight += 1;
    client.publish(topic, ledger.sent.get(seq)!, { qos: 1 }, (error) => {
      inFlight -= 1;
      if (error) return;
      ledger.acknowledged.add(seq);
      pump();
    });
  };
  const pump = () => {
    while (!stopped && client.connected && inFlight < WINDOW) {
      const seq = ledger.nextSeq;
      ledger.nextSeq += 1;
      ledger.sent.set(seq, vitalsPayload(seq));
      send(seq);
    }
  };
  for (const seq of ledger.sent.keys()) if (!ledger.acknowledged.has(seq)) send(seq);
  pump();
  return {
    stop: () => {
      stopped = true;
    },
  };
}

/**
 * Counts each device reading in the log from the event bodies (not from the
 * de-duplication index), on a read-only connection while the gateway is down.
 */
function readingsInLog(dataDir: string): Map<string, number> {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    const counts = new Map<string, number>();
    const rows = db
      .prepare<[], { body: string; device_key: string | null }>(
        "SELECT body, device_key FROM events WHERE event_type = 'vital_signs_recorded'",
      )
      .iterate();
    for (const row of rows) {
      const { deviceId, deviceSeq } = (
        JSON.parse(row.body) as { data: { deviceId: string; deviceSeq: number } }
      ).data;
      const key = vitalsDeviceKey(deviceId, deviceSeq);
      if (row.device_key !== key)
        throw new Error(`event for ${key} is stored under device_key ${row.device_key}`);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  } finally {
    db.close();
  }
}

const randomKillDelay = () =>
  KILL_AFTER_MS.min + Math.floor(Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const acknowledgedSoFar = () =>
  [...ledgers.values()].reduce((sum, ledger) => sum + ledger.acknowledged.size, 0);

/**
 * One round: start the gateway, have every device publish, SIGKILL it at a
 * random moment, and wait until every client has read what the gateway
 * wrote before it died (a PUBACK still in our socket counts).
 */
async function publishUntilKilled(): Promise<{
  killAfter: number;
  signal: NodeJS.Signals | null;
  newPubacks: number;
}> {
  const before = acknowledgedSoFar();
  const gateway = await startGatewayProcess(dir.path);
  running = gateway;
  const clients = await Promise.all(DEVICES.map((deviceId) => connect(deviceId, gateway.mqttPort)));
  const closed = clients.map(
    (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
  );
  for (const client of clients) client.on('error', () => undefined); // the kill resets every connection
  const publishers = clients.map((client, index) => {
    const deviceId = DEVICES[index]!;
    return publishContinuously(client, deviceId, `clinic/${facilityId}/devices/${deviceId}/vitals`);
  });

  const killAfter = randomKillDelay();
  await sleep(killAfter); // the random moment is the point of this test
  gateway.child.kill('SIGKILL');
  const { signal } = await gateway.exited;
  await Promise.all(closed);
  for (const publisher of publishers) publisher.stop();
  await Promise.all(clients.map((client) => client.endAsync(true)));
  return { killAfter, signal, newPubacks: acknowledgedSoFar() - before };
}

/** PUBACKed readings that are not in the log exactly once, as "key xN". */
function acknowledgedNotStoredOnce(inLog: Map<string, number>): string[] {
  return [...ledgers].flatMap(([deviceId, ledger]) =>
    [...ledger.acknowledged]
      .map((seq) => vitalsDeviceKey(deviceId, seq))
      .filter((key) => inLog.get(key) !== 1)
      .map((key) => `${key} x${inLog.get(key) ?? 0}`),
  );
}

describe('a gateway killed with SIGKILL while devices publish QoS 1 readings', () => {
  it(`keeps every PUBACKed reading exactly once, with a verifiable chain, across ${ROUNDS} kills and restarts`, {
    timeout: 90_000,
  }, async () => {
    const history: string[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const { killAfter, signal, newPubacks } = await publishUntilKilled();
      history.push(`round ${round}: killed after ${killAfter} ms, ${newPubacks} new PUBACKs`);
      const context = history.join('\n');
      expect(signal, context).toBe('SIGKILL');
      expect(newPubacks, `no PUBACK this round, so it proved nothing\n${context}`).toBeGreaterThan(0);

      const inLog = readingsInLog(dir.path);
      expect(acknowledgedNotStoredOnce(inLog), `PUBACKed but not stored exactly once\n${context}`).toEqual(
        [],
      );
      expect(
        [...inLog].filter(([, count]) => count > 1),
        `stored more than once\n${context}`,
      ).toEqual([]);
      const verify = await runNilecare(['verify', '--data-dir', dir.path]);
      expect(verify.code, `nilecare verify: ${verify.stdout}${verify.stderr}\n${context}`).toBe(0);
    }

    // After the last kill the gateway still comes up on the same data, and stops cleanly.
    const last = await startGatewayProcess(dir.path);
    running = last;
    const health = await fetch(`http://127.0.0.1:${last.httpPort}/health`);
    expect(health.status).toBe(200);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
  });
});
