import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { runNilecare } from '../../test/harness/gatewayProcess.ts';
import { vitalsDeviceKey, vitalsPayload } from '../../test/harness/vitalsReadings.ts';

/** The password `registerDevices` gives each monitor. */
export const passwordOf = (deviceId: string) => `prove-${deviceId}`;

/** Registers the bedside monitors in a new data folder (`nilecare devices add`); returns its identity. */
export async function registerDevices(dataDir: string, deviceIds: readonly string[]) {
  for (const deviceId of deviceIds) {
    const result = await runNilecare([
      'devices',
      'add',
      deviceId,
      '--password',
      passwordOf(deviceId),
      '--data-dir',
      dataDir,
    ]);
    if (result.code !== 0) throw new Error(`nilecare devices add ${deviceId}: ${result.stderr}`);
  }
  return JSON.parse(readFileSync(dataPaths(dataDir).identity, 'utf8')) as {
    gatewayId: string;
    facilityId: string;
  };
}

/**
 * Bedside monitors publishing QoS 1 readings to a running gateway, each every
 * `intervalMs`, each keeping its own ledger of what was PUBACKed
 * (docs/architecture.md#guarantee-1: only a PUBACK counts).
 */
export async function publishReadings(
  mqttPort: number,
  facilityId: string,
  deviceIds: readonly string[],
  intervalMs: number,
) {
  const acknowledged = new Set<string>();
  let sent = 0;
  const clients: MqttClient[] = await Promise.all(
    deviceIds.map((deviceId) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: deviceId,
        username: deviceId,
        password: passwordOf(deviceId),
        protocolVersion: 4,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
      }),
    ),
  );
  const timers = clients.map((client, index) => {
    const deviceId = deviceIds[index]!;
    const topic = `clinic/${facilityId}/devices/${deviceId}/vitals`;
    let seq = 0;
    return setInterval(() => {
      seq += 1;
      const key = vitalsDeviceKey(deviceId, seq);
      sent += 1;
      client.publish(topic, vitalsPayload(seq), { qos: 1 }, (error) => {
        if (!error) acknowledged.add(key);
      });
    }, intervalMs);
  });
  return {
    acknowledged,
    get sent() {
      return sent;
    },
    /** Stops publishing and waits for the PUBACKs still due (the gateway is up). */
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(clients.map((client) => client.endAsync()));
    },
  };
}

/** How often each acknowledged reading is in the gateway's log, read from the committed rows. */
export function readingsInLog(dataDir: string, acknowledged: ReadonlySet<string>): Map<string, number> {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    const counts = new Map<string, number>([...acknowledged].map((key) => [key, 0]));
    const rows = db
      .prepare<[], { device_key: string }>('SELECT device_key FROM events WHERE device_key IS NOT NULL')
      .all();
    for (const { device_key: key } of rows) if (counts.has(key)) counts.set(key, counts.get(key)! + 1);
    return counts;
  } finally {
    db.close();
  }
}
