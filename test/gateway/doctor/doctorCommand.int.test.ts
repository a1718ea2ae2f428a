import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { flipByteOfStoredValue } from '../../harness/databaseFileTamper.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  action?: string;
}

let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let gateway: GatewayProcess | undefined;
let blocker: Server | undefined;

beforeEach(() => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
});
afterEach(async () => {
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;
  }
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  dir.remove();
  secrets.remove();
});

async function doctor(
  env: Record<string, string> = {},
): Promise<{ code: number | null; checks: Map<string, Check> }> {
  const result = await runNilecare(['doctor', '--json', '--data-dir', dir.path], { env });
  const checks = JSON.parse(result.stdout) as Check[];
  return { code: result.code, checks: new Map(checks.map((check) => [check.name, check])) };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('nilecare doctor', () => {
  it('passes a provisioned gateway that is running, with its keys, chain, certificates and ports', async () => {
    const kekFile = writeKekFile(secrets.path);
    expect((await runProvision(dir.path, kekFile)).code).toBe(0);
    const env = { NILECARE_KEK_FILE: kekFile };
    gateway = await startGatewayProcess(dir.path, {
      env: { ...env, NILECARE_HTTPS_PORT: '0', NILECARE_MQTTS_PORT: '0' },
    });
    const { code, checks } = await doctor({
      ...env,
      NILECARE_HTTP_PORT: String(gateway.httpPort),
      NILECARE_MQTT_PORT: String(gateway.mqttPort),
      NILECARE_HTTP_HOST: '127.0.0.1',
      NILECARE_HTTPS_PORT: String(gateway.httpsPort),
      NILECARE_MQTTS_PORT: String(gateway.mqttsPort),
    });
    expect(checks.get('ports')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('in use by this gateway'),
    });
    expect(checks.get('chain')?.status).toBe('ok');
    expect(checks.get('certificates')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/gateway certificate \d+ days left/),
    });
    expect(checks.get('keys')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('wrapped by the KEK'),
    });
    expect(code).toBe(0);

    // The same folder without the KEK: the keys check fails and says what to set.
    const withoutKek = await doctor({ NILECARE_HTTP_PORT: '0', NILECARE_MQTT_PORT: '0' });
    expect(withoutKek.checks.get('keys')).toMatchObject({
      status: 'fail',
      action: expect.stringContaining('NILECARE_KEK_FILE'),
    });
    expect(withoutKek.code).toBe(2);
  });

  it('fails on a broken chain and a port held by another program, and warns on an unreachable hub', async () => {
    const folder = openRecordedDataDir(dir.path, '2026-11-20T08:00:00.000Z');
    const [, , admission] = await folder.registerAndAdmit('patient-1', 'Amna', {
      ward: 'Ward A',
      bed: 'A-1',
      attendingPhysician: 'Dr. Doctor Marker 5521',
    });
    folder.close();
    flipByteOfStoredValue(dataPaths(dir.path).database, {
      bytes: 'Dr. Doctor Marker 5521',
      offsetInValue: 4,
      readBack: `SELECT body FROM events WHERE seq = ${admission!.seq}`,
    });
    const held = await freePort();
    blocker = createServer().listen(held, '127.0.0.1');
    const closedHubPort = await freePort();

    const { code, checks } = await doctor({
      NILECARE_HTTP_PORT: String(held),
      NILECARE_HTTP_HOST: '127.0.0.1',
      NILECARE_MQTT_PORT: '0',
      NILECARE_KAFKA_BROKERS: `127.0.0.1:${closedHubPort}`,
    });
    expect(checks.get('chain')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`broken at seq ${admission!.seq}`),
      action: expect.stringContaining('nilecare restore'),
    });
    expect(checks.get('ports')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`HTTP ${held} taken`),
    });
    expect(checks.get('hub')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
    expect(code).toBe(2);
  });
});
