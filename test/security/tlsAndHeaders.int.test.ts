import { get } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { runProvision, writeKekFile } from '../harness/provisioningHarness.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

/**
 * A provisioned gateway's HTTPS and MQTT-over-TLS listeners, probed with
 * real TLS clients (docs/security.md#e1-transmission-security).
 */
let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let gateway: GatewayProcess;

beforeAll(async () => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  const kekFile = writeKekFile(secrets.path);
  const provisioned = await runProvision(dir.path, kekFile);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  gateway = await startGatewayProcess(dir.path, {
    env: {
      NILECARE_KEK_FILE: kekFile,
      NILECARE_HTTPS_PORT: '0',
      NILECARE_MQTTS_PORT: '0',
      NILECARE_BACKUP_SCHEDULE: '',
    },
  });
}, 60_000);
afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exited;
  dir.remove();
  secrets.remove();
});

/** Whether a TLS 1.2 handshake offering only `ciphers` succeeds, and the cipher agreed. */
function handshake(port: number, ciphers: string): Promise<{ ok: boolean; cipher?: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ciphers,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      // The cipher suites are under test here, not the certificate (provisionedGateway.int.test.ts).
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      resolve({ ok: true, cipher: socket.getCipher().name });
      socket.destroy();
    });
    socket.once('error', (error) => resolve({ ok: false, error: error.message }));
  });
}

const cbcSuites = ['ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-ECDSA-AES128-SHA'];

describe('TLS 1.2 on the gateway', () => {
  const listeners = () => ({ HTTPS: gateway.httpsPort!, 'MQTT over TLS': gateway.mqttsPort! });

  it('refuses a client offering only CBC suites, on HTTPS and on MQTT over TLS', async () => {
    for (const [listener, port] of Object.entries(listeners()))
      for (const suite of cbcSuites) {
        const result = await handshake(port, suite);
        expect(result.ok, `${listener}: ${suite} was accepted: ${result.cipher}`).toBe(false);
      }
  });

  it('agrees ECDHE with AES-GCM or ChaCha20-Poly1305, on HTTPS and on MQTT over TLS', async () => {
    for (const [listener, port] of Object.entries(listeners()))
      for (const suite of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
        const result = await handshake(port, suite);
        expect(result, `${listener}: ${suite}`).toMatchObject({ ok: true, cipher: suite });
      }
  });
});

describe('answers over HTTPS', () => {
  it('carry Strict-Transport-Security, nosniff and no-referrer, errors too', async () => {
    for (const path of ['/health', '/api/v1/patients']) {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        get({ host: '127.0.0.1', port: gateway.httpsPort, path, rejectUnauthorized: false }, (reply) => {
          reply.resume();
          resolve(reply.headers);
        }).once('error', reject);
      });
      expect(headers['strict-transport-security'], path).toMatch(/^max-age=\d{7,}/);
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('no-referrer');
    }
  });
});
