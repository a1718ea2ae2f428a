import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor } from '../../harness/waitFor.ts';

let dir: ReturnType<typeof tempDataDir>;
let gateway: GatewayProcess | undefined;
const clients: MqttClient[] = [];

beforeEach(() => {
  dir = tempDataDir();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.end(true);
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;
  }
  dir.remove();
});

function connect(port: number, username: string, password: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      username,
      password,
      clientId: username,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    clients.push(client);
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function disconnectReasons(deviceId: string): string[] {
  const db = new Database(dataPaths(dir.path).database, { readonly: true });
  try {
    return db
      .prepare<[], { body: string }>("SELECT body FROM events WHERE event_type = 'device_disconnected'")
      .all()
      .map((row) => JSON.parse(row.body) as { data: { deviceId: string; reason: string } })
      .filter((event) => event.data.deviceId === deviceId)
      .map((event) => event.data.reason);
  } finally {
    db.close();
  }
}

describe('nilecare devices revoke and bind', () => {
  it('prints a configuration QR at registration, and a revoked device is disconnected at once and refused after', async () => {
    const added = await runNilecare(['devices', 'add', 'monitor-r1', '--data-dir', dir.path]);
    expect(added.code, added.stderr).toBe(0);
    const password = /MQTT password: (\S+)/.exec(added.stdout)?.[1];
    expect(password).toBeDefined();
    expect(added.stdout).toMatch(/broker: mqtt:\/\/\S+:1883/);
    expect(added.stdout).toContain('▄'); // the QR code itself, drawn in the terminal

    gateway = await startGatewayProcess(dir.path, { env: { NILECARE_BACKUP_SCHEDULE: '' } });
    const facilityId = (
      JSON.parse(readFileSync(dataPaths(dir.path).identity, 'utf8')) as { facilityId: string }
    ).facilityId;
    const device = await connect(gateway.mqttPort, 'monitor-r1', password!);
    await device.publishAsync(`clinic/${facilityId}/devices/monitor-r1/vitals`, vitalsPayload(1), { qos: 1 });
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));

    const revoked = await runNilecare(['devices', 'revoke', 'monitor-r1', '--data-dir', dir.path]);
    expect(revoked.code, revoked.stderr).toBe(0);
    await closed;
    await waitFor(
      'device_disconnected with reason revoked',
      () => disconnectReasons('monitor-r1').includes('revoked'),
      {
        timeoutMs: 5000,
      },
    );
    await expect(connect(gateway.mqttPort, 'monitor-r1', password!)).rejects.toThrow(/Not authorized/i);

    const list = await runNilecare(['devices', 'list', '--data-dir', dir.path]);
    expect(list.stdout).toMatch(/monitor-r1\t.*\trevoked 20/);
  });

  it('binds a device to a bed or patient, and unbinds it', async () => {
    await runNilecare(['devices', 'add', 'monitor-b1', '--data-dir', dir.path]);
    const bound = await runNilecare([
      'devices',
      'bind',
      'monitor-b1',
      '--bed',
      'A-3',
      '--data-dir',
      dir.path,
    ]);
    expect(bound.stdout).toContain('device monitor-b1 bound to bed A-3');
    expect((await runNilecare(['devices', 'list', '--data-dir', dir.path])).stdout).toMatch(
      /monitor-b1\t\S+\tbed A-3\tactive/,
    );
    await runNilecare(['devices', 'bind', 'monitor-b1', '--unbind', '--data-dir', dir.path]);
    expect((await runNilecare(['devices', 'list', '--data-dir', dir.path])).stdout).toMatch(
      /monitor-b1\t\S+\tunbound\tactive/,
    );
    const unknown = await runNilecare(['devices', 'revoke', 'no-such-device', '--data-dir', dir.path]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('GW_ERR_DEVICE_UNKNOWN');
  });
});
