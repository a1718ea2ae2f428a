import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionedPaths } from '../../gateway/provisioning/gatewayConfig.ts';
import { issueCertificate } from '../../gateway/provisioning/localCertificates.ts';
import { runNilecare } from '../harness/gatewayProcess.ts';
import { runProvision, writeKekFile } from '../harness/provisioningHarness.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

/**
 * Browsers on the ward are told to trust the gateway's local CA
 * (docs/operations.md#provisioning-a-gateway): it must not be able to vouch
 * for any other site. Provisioned for gateway.clinic.local, localhost and
 * 127.0.0.1 (test/harness/provisioningHarness.ts).
 */
let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let tls: string;
let kekFile: string;
const ca = () => ({ cert: join(tls, 'ca.crt'), key: join(tls, 'ca.key') });

beforeAll(async () => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  kekFile = writeKekFile(secrets.path);
  const provisioned = await runProvision(dir.path, kekFile);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  tls = provisionedPaths(dir.path).tls;
}, 60_000);
afterAll(() => {
  dir.remove();
  secrets.remove();
});

/** `openssl verify` of a certificate against the gateway's CA: its exit code and what it said. */
function opensslVerify(cert: string, purpose: 'sslserver' | 'sslclient') {
  const result = spawnSync('openssl', ['verify', '-purpose', purpose, '-CAfile', ca().cert, cert], {
    encoding: 'utf8',
  });
  return { ok: result.status === 0, said: `${result.stdout}${result.stderr}` };
}

describe("the gateway's local CA", () => {
  it('carries critical name constraints permitting only the gateway’s own names and address, and its devices', () => {
    const text = execFileSync('openssl', ['x509', '-in', ca().cert, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/X509v3 Name Constraints: critical/);
    const permitted = text.slice(text.indexOf('Permitted:'));
    expect(permitted).toContain('DNS:gateway.clinic.local');
    expect(permitted).toContain('DNS:localhost');
    expect(permitted).toContain('IP:127.0.0.1/255.255.255.255');
    expect(permitted).toContain('DNS:devices.nilecare.invalid');
    expect(new X509Certificate(readFileSync(ca().cert)).ca).toBe(true);
  });

  it('cannot vouch for another site: a leaf it signs for bank.example or 10.9.9.9 fails openssl verify', () => {
    const attempts: [string, { dnsNames?: string[]; ipAddresses?: string[] }][] = [
      ['bank', { dnsNames: ['bank.example'] }],
      ['lan-host', { ipAddresses: ['10.9.9.9'] }],
      ['sub-bank', { dnsNames: ['gateway.clinic.local.bank.example'] }],
    ];
    for (const [name, names] of attempts) {
      const leaf = issueCertificate(secrets.path, name, ca(), { commonName: name, use: 'server', ...names });
      const verdict = opensslVerify(leaf.cert, 'sslserver');
      expect(verdict.ok, `${name}: ${verdict.said}`).toBe(false);
      expect(verdict.said).toMatch(/permitted subtree violation/);
    }
  });

  it('still vouches for the gateway’s own certificate and for a device’s, even with a dot in its id', async () => {
    expect(opensslVerify(join(tls, 'gateway.crt'), 'sslserver')).toMatchObject({ ok: true });
    const carried = tempDataDir('nilecare-usb-');
    try {
      const added = await runNilecare(
        ['devices', 'add', 'spo2.bed-3', '--cert', '--out', carried.path, '--data-dir', dir.path],
        { env: { NILECARE_KEK_FILE: kekFile } },
      );
      expect(added.code, added.stderr).toBe(0);
      expect(opensslVerify(join(carried.path, 'spo2.bed-3.crt'), 'sslclient')).toMatchObject({ ok: true });
    } finally {
      carried.remove();
    }
  });
});
