import { readFileSync } from 'node:fs';
import { get, request } from 'node:https';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { loadProvisionedConfig, provisionedPaths } from '../../../gateway/provisioning/gatewayConfig.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';
import { runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let kekFile: string;
let gateway: GatewayProcess | undefined;
const clients: MqttClient[] = [];

beforeEach(async () => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  kekFile = writeKekFile(secrets.path);
  const provisioned = await runProvision(dir.path, kekFile);
  expect(provisioned.code, provisioned.stderr).toBe(0);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.end(true);
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;
  }
  dir.remove();
  secrets.remove();
});

const caOf = () => readFileSync(join(provisionedPaths(dir.path).tls, 'ca.crt'));

function httpsStatus(port: number, ca?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/health', ...(ca ? { ca } : {}) }, (reply) => {
      reply.resume();
      resolve(reply.statusCode ?? 0);
    }).once('error', reject);
  });
}

/** One HTTPS request trusting only the gateway's CA: status, Set-Cookie and body. */
function httpsCall(
  port: number,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string } = {},
): Promise<{ status: number; setCookie: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const call = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca: caOf(),
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (reply) => {
        let body = '';
        reply.setEncoding('utf8');
        reply.on('data', (chunk: string) => (body += chunk));
        reply.on('end', () =>
          resolve({ status: reply.statusCode ?? 0, setCookie: reply.headers['set-cookie'] ?? [], body }),
        );
      },
    );
    call.once('error', reject);
    call.end(payload);
  });
}

function connectTls(
  port: number,
  options: { username: string; password: string; ca?: Buffer },
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtts://127.0.0.1:${port}`, {
      ...options,
      clientId: options.username,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      rejectUnauthorized: true,
    });
    clients.push(client);
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

const kekEnvironment = () => ({ NILECARE_KEK_FILE: kekFile });

describe('a provisioned gateway', () => {
  it('serves HTTPS and MQTT over TLS with certificates from its local CA, and a device reading over TLS is stored', async () => {
    const added = await runNilecare(
      ['devices', 'add', 'monitor-tls-1', '--password', 'tls-device-secret-1', '--data-dir', dir.path],
      { env: kekEnvironment() },
    );
    expect(added.code, added.stderr).toBe(0);
    gateway = await startGatewayProcess(dir.path, {
      env: {
        ...kekEnvironment(),
        NILECARE_HTTPS_PORT: '0',
        NILECARE_MQTTS_PORT: '0',
        NILECARE_BACKUP_SCHEDULE: '',
      },
    });
    const { httpsPort, mqttsPort } = gateway;
    expect(httpsPort).toBeGreaterThan(0);
    expect(mqttsPort).toBeGreaterThan(0);

    expect(await httpsStatus(httpsPort!, caOf())).toBe(200);
    // A client that does not trust the gateway's CA refuses the connection.
    await expect(httpsStatus(httpsPort!)).rejects.toThrow(/self[- ]signed|unable to verify/i);

    await expect(
      connectTls(mqttsPort!, { username: 'monitor-tls-1', password: 'wrong-password', ca: caOf() }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(
      connectTls(mqttsPort!, { username: 'monitor-tls-1', password: 'tls-device-secret-1' }),
    ).rejects.toThrow(/self[- ]signed|unable to verify/i);
    const device = await connectTls(mqttsPort!, {
      username: 'monitor-tls-1',
      password: 'tls-device-secret-1',
      ca: caOf(),
    });
    const facilityId = loadProvisionedConfig(dir.path)!.identity.facilityId;
    await device.publishAsync(`clinic/${facilityId}/devices/monitor-tls-1/vitals`, vitalsPayload(1), {
      qos: 1,
    });
    // PUBACK came after the commit: the reading is in the log now.
    const db = new Database(dataPaths(dir.path).database, { readonly: true });
    try {
      const stored = db
        .prepare(
          "SELECT count(*) AS n FROM events WHERE event_type = 'vital_signs_recorded' AND device_key LIKE 'monitor-tls-1%'",
        )
        .get() as { n: number };
      expect(stored.n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('can turn the plain ports off', async () => {
    gateway = await startGatewayProcess(dir.path, {
      env: {
        ...kekEnvironment(),
        NILECARE_HTTPS_PORT: '0',
        NILECARE_MQTTS_PORT: '0',
        NILECARE_PLAIN_PORTS: 'false',
      },
    });
    expect(gateway.httpPort).toBe(0);
    expect(gateway.mqttPort).toBe(0);
    expect(await httpsStatus(gateway.httpsPort!, caOf())).toBe(200);
  });

  it('signs a nurse in over HTTPS with a Secure, httpOnly session cookie that opens the API', async () => {
    const password = 'a long nurse passphrase 42';
    const added = await runNilecare(
      ['users', 'add', '--data-dir', dir.path, '--username', 'huda', '--name', 'Huda', '--role', 'nurse'],
      { input: `${password}\n`, env: kekEnvironment() },
    );
    expect(added.code, added.stderr).toBe(0);
    gateway = await startGatewayProcess(dir.path, {
      env: {
        ...kekEnvironment(),
        NILECARE_HTTPS_PORT: '0',
        NILECARE_MQTTS_PORT: '0',
        NILECARE_PLAIN_PORTS: 'false',
        NILECARE_BACKUP_SCHEDULE: '',
      },
    });
    const port = gateway.httpsPort!;
    expect((await httpsCall(port, 'GET', '/api/v1/patients')).status).toBe(401);
    const refused = await httpsCall(port, 'POST', '/api/v1/session', {
      body: { username: 'huda', password: 'not her password' },
    });
    expect(refused.status).toBe(401);
    const login = await httpsCall(port, 'POST', '/api/v1/session', { body: { username: 'huda', password } });
    expect(login.status, login.body).toBe(200);
    const cookie = login.setCookie.find((line) => /HttpOnly/i.test(line));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*Secure/i);
    const patients = await httpsCall(port, 'GET', '/api/v1/patients', { cookie: cookie!.split(';')[0]! });
    expect(patients.status, patients.body).toBe(200);
  });

  it('does not start without the key-encryption key, and says which setting to give', async () => {
    await expect(
      startGatewayProcess(dir.path, { env: { NILECARE_HTTPS_PORT: '0', NILECARE_MQTTS_PORT: '0' } }),
    ).rejects.toThrow(/GW_ERR_PHI_KEY[\s\S]*NILECARE_KEK_FILE/);
  });
});
