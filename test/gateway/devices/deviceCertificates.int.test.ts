import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { loadProvisionedConfig, provisionedPaths } from '../../../gateway/provisioning/gatewayConfig.ts';
import { createLocalCa, issueCertificate } from '../../../gateway/provisioning/localCertificates.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { vitalsDeviceKey, vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor, within } from '../../harness/waitFor.ts';
import { runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

// Device certificates (docs/devices.md): client certificates signed by the gateway CA, beside
// passwords, on the one MQTT over TLS listener of a provisioned gateway, with
// a real `mqtt` client and a real gateway process.

let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let carried: ReturnType<typeof tempDataDir>;
let kekFile: string;
let gateway: GatewayProcess;
let reader: EventLogReader;
let facilityId: string;
const clients: MqttClient[] = [];

const deviceId = 'monitor-cert-1';
const kekEnvironment = () => ({ NILECARE_KEK_FILE: kekFile });
const nilecare = (args: string[]) =>
  runNilecare([...args, '--data-dir', dir.path], { env: kekEnvironment() });
const usb = () => join(carried.path, 'usb');
const gatewayCa = () => readFileSync(join(provisionedPaths(dir.path).tls, 'ca.crt'));

beforeAll(async () => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  carried = tempDataDir('nilecare-usb-');
  kekFile = writeKekFile(secrets.path);
  const provisioned = await runProvision(dir.path, kekFile);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  facilityId = loadProvisionedConfig(dir.path)!.identity.facilityId;
}, 60_000);

afterAll(async () => {
  for (const client of clients.splice(0)) client.end(true);
  reader?.close();
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  dir?.remove();
  secrets?.remove();
  carried?.remove();
});

function connectTls(options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtts://127.0.0.1:${gateway.mqttsPort}`, {
      ca: gatewayCa(),
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...options,
    });
    clients.push(client);
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

const refusal = (options: IClientOptions) =>
  connectTls(options).then(
    () => undefined,
    (error: Error & { code?: number }) => error,
  );

const withCertificate = (files: { key: string; cert: string }): IClientOptions => ({
  key: readFileSync(files.key),
  cert: readFileSync(files.cert),
});

const issuedFiles = { key: () => join(usb(), `${deviceId}.key`), cert: () => join(usb(), `${deviceId}.crt`) };
const certRefusals = async () =>
  metricValue(await scrapeMetrics(gateway.httpPort), 'events_failed_total', {
    channel: 'mqtt',
    reason: 'GW_ERR_DEVICE_CERT',
  });

describe('nilecare devices add --cert', () => {
  it('is refused on a gateway that is not provisioned, and with --out inside the data folder', async () => {
    const bare = tempDataDir();
    try {
      const unprovisioned = await runNilecare([
        'devices',
        'add',
        'monitor-x',
        '--cert',
        '--out',
        join(carried.path, 'x'),
        '--data-dir',
        bare.path,
      ]);
      expect(unprovisioned.code).toBe(1);
      expect(unprovisioned.stderr).toMatch(/GW_ERR_DEVICE_CERT_ISSUE: .*not provisioned/);
    } finally {
      bare.remove();
    }
    const inside = await nilecare([
      'devices',
      'add',
      'monitor-x',
      '--cert',
      '--out',
      join(dir.path, 'certs'),
    ]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/GW_ERR_DEVICE_CERT_ISSUE: .*inside the gateway's data folder/);
    expect(existsSync(join(dir.path, 'certs', 'monitor-x.key'))).toBe(false);
    expect((await nilecare(['devices', 'list'])).stdout).not.toContain('monitor-x');
  });

  it("writes the device's key, its certificate from the gateway CA and the CA, 0600, and registers only the fingerprint and serial", async () => {
    const added = await nilecare(['devices', 'add', deviceId, '--cert', '--out', usb(), '--bed', 'C-1']);
    expect(added.code, added.stderr).toBe(0);

    for (const file of [issuedFiles.key(), issuedFiles.cert(), join(usb(), 'ca.crt')])
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    expect(readFileSync(join(usb(), 'ca.crt'))).toEqual(gatewayCa());
    expect(readdirSync(usb()).sort()).toEqual(['ca.crt', `${deviceId}.crt`, `${deviceId}.key`]);

    const certificate = new X509Certificate(readFileSync(issuedFiles.cert()));
    expect(certificate.subject).toContain(`CN=${deviceId}`);
    expect(certificate.verify(new X509Certificate(gatewayCa()).publicKey)).toBe(true);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // extended key usage: clientAuth only
    expect(certificate.checkPrivateKey(createPrivateKey(readFileSync(issuedFiles.key())))).toBe(true);

    expect(added.stdout).toContain(`certificate SHA-256: ${certificate.fingerprint256}`);
    expect(added.stdout).toContain(`serial: ${certificate.serialNumber}`);
    expect(added.stdout).toContain('▄'); // the QR code, drawn in the terminal
    expect(added.stdout).not.toMatch(/MQTT password/);

    const db = new Database(dataPaths(dir.path).database, { readonly: true });
    try {
      expect(
        db
          .prepare('SELECT cert_fingerprint, cert_serial, bed FROM devices WHERE device_id = ?')
          .get(deviceId),
      ).toEqual({
        cert_fingerprint: certificate.fingerprint256,
        cert_serial: certificate.serialNumber,
        bed: 'C-1',
      });
    } finally {
      db.close();
    }
    // No copy of the device's private key anywhere in the data folder.
    const key = readFileSync(issuedFiles.key(), 'utf8');
    expect(filesUnder(dir.path).filter((file) => readFileSync(file, 'utf8').includes(key.trim()))).toEqual(
      [],
    );

    expect((await nilecare(['devices', 'list'])).stdout).toMatch(
      new RegExp(`${deviceId}\\t\\S+\\tbed C-1\\tactive\\tcertificate ${certificate.fingerprint256}`),
    );
    // Issuing again for the same id never overwrites the device's key.
    const again = await nilecare(['devices', 'add', deviceId, '--cert', '--out', usb()]);
    expect(again.stderr).toContain('GW_ERR_DEVICE_EXISTS');
    expect(readFileSync(issuedFiles.key(), 'utf8')).toBe(key);
  });
});

describe('a provisioned gateway with certificate and password devices on one MQTT over TLS listener', () => {
  beforeAll(async () => {
    const added = await nilecare(['devices', 'add', 'monitor-pw-1', '--password', 'tls-password-secret-1']);
    expect(added.code, added.stderr).toBe(0);
    gateway = await startGatewayProcess(dir.path, {
      env: {
        ...kekEnvironment(),
        NILECARE_HTTPS_PORT: '0',
        NILECARE_MQTTS_PORT: '0',
        NILECARE_BACKUP_SCHEDULE: '',
      },
    });
    reader = openEventLogReader(dir.path);
  }, 60_000);

  it('stores a reading from a device that logs in with its certificate only (no username, no password)', async () => {
    const device = await connectTls({
      ...withCertificate({ key: issuedFiles.key(), cert: issuedFiles.cert() }),
      clientId: deviceId,
    });
    await device.publishAsync(`clinic/${facilityId}/devices/${deviceId}/vitals`, vitalsPayload(1), {
      qos: 1,
    });
    // PUBACK came after the commit: the reading is in the log now, as this device's, at its bed.
    const [stored] = reader.byDeviceKey(vitalsDeviceKey(deviceId, 1));
    expect(stored?.eventType).toBe('vital_signs_recorded');
    expect(stored?.data).toMatchObject({ deviceId, bed: 'C-1' });
    device.end(true);
  });

  it('still takes a password over TLS on the same listener', async () => {
    const device = await connectTls({
      username: 'monitor-pw-1',
      password: 'tls-password-secret-1',
      clientId: 'monitor-pw-1',
    });
    await device.publishAsync(`clinic/${facilityId}/devices/monitor-pw-1/vitals`, vitalsPayload(1), {
      qos: 1,
    });
    expect(reader.byDeviceKey(vitalsDeviceKey('monitor-pw-1', 1))).toHaveLength(1);
    expect(await refusal({ username: 'monitor-pw-1', password: 'wrong-password' })).toMatchObject({
      code: 4,
    });
    device.end(true);
  });

  it('refuses a certificate from another CA, even for a registered device id, counted and quarantined', async () => {
    const elsewhere = join(carried.path, 'other-ca');
    mkdirSync(elsewhere);
    const otherCa = createLocalCa(elsewhere, 'Some other CA', { dnsNames: [], ipAddresses: [] });
    const forged = issueCertificate(elsewhere, deviceId, otherCa, { commonName: deviceId, use: 'client' });
    const before = await certRefusals();
    const quarantineHead = reader.quarantineHead();

    expect(await refusal({ ...withCertificate(forged), username: deviceId })).toMatchObject({ code: 5 });

    const [quarantined] = await waitFor('the refusal quarantined', () => {
      const rows = reader.quarantinedAfter(quarantineHead);
      return rows.length > 0 && rows;
    });
    expect(quarantined).toMatchObject({ channel: 'mqtt', reasonCode: 'GW_ERR_DEVICE_CERT' });
    expect(quarantined?.reason).toMatch(/not issued by this gateway's CA/);
    expect(await certRefusals()).toBe(before + 1);
  });

  it("refuses a certificate from the gateway's CA whose fingerprint is not registered", async () => {
    const tls = provisionedPaths(dir.path).tls;
    const unregistered = join(carried.path, 'unregistered');
    mkdirSync(unregistered);
    const files = issueCertificate(
      unregistered,
      deviceId,
      { cert: join(tls, 'ca.crt'), key: join(tls, 'ca.key') },
      { commonName: deviceId, use: 'client' },
    );
    const before = await certRefusals();
    expect(await refusal(withCertificate(files))).toMatchObject({ code: 5 });
    await waitFor('the refusal counted', async () => (await certRefusals()) === before + 1);
  });

  it("refuses a certificate with another device's username, and a certificate device's id with a password", async () => {
    const issued = withCertificate({ key: issuedFiles.key(), cert: issuedFiles.cert() });
    expect(await refusal({ ...issued, username: 'monitor-pw-1' })).toMatchObject({ code: 5 });
    expect(await refusal({ username: deviceId, password: 'certificate-only' })).toMatchObject({ code: 4 });
  });

  it('disconnects a revoked certificate device within a second and refuses it on reconnect', async () => {
    const issued = withCertificate({ key: issuedFiles.key(), cert: issuedFiles.cert() });
    const device = await connectTls({ ...issued, username: deviceId, clientId: deviceId });
    await device.publishAsync(`clinic/${facilityId}/devices/${deviceId}/vitals`, vitalsPayload(2), {
      qos: 1,
    });
    const closed = new Promise<number>((resolve) => device.once('close', () => resolve(Date.now())));

    const revoked = await nilecare(['devices', 'revoke', deviceId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const revokedAt = Date.now();
    // The gateway reads the registry every second: "at once" means by its next read.
    const closedAt = await within('the revoked device to be disconnected', closed, 5000);
    expect(closedAt - revokedAt).toBeLessThan(1500);
    await waitFor('device_disconnected with reason revoked', () =>
      reader
        .ofType('device_disconnected')
        .some((event) => event.data.deviceId === deviceId && event.data.reason === 'revoked'),
    );

    const before = await certRefusals();
    expect(await refusal(issued)).toMatchObject({ code: 5 });
    await waitFor('the refusal counted', async () => (await certRefusals()) === before + 1);
  });
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
