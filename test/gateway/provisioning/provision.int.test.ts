import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { loadProvisionedConfig, provisionedPaths } from '../../../gateway/provisioning/gatewayConfig.ts';
import { keyringOf } from '../../../gateway/provisioning/provisionedStore.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { provisionKilledMidRun, runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let kekFile: string;

beforeEach(() => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  kekFile = writeKekFile(secrets.path);
});
afterEach(() => {
  dir.remove();
  secrets.remove();
});

/** Every file under the provisioned folder with its SHA-256: what "nothing changed" means. */
function snapshot(): Record<string, string> {
  const root = provisionedPaths(dir.path).dir;
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[path.slice(root.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

describe('nilecare provision', () => {
  it('writes one validated configuration, wrapped PHI keys, a local CA and a server certificate, offline', async () => {
    const result = await runProvision(dir.path, kekFile);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const config = loadProvisionedConfig(dir.path);
    expect(config?.identity).toMatchObject({
      facilityId: 'fac-kassala-01',
      tenantId: 'moh-sd',
      sudanState: 'Kassala',
    });
    expect(result.stdout).toContain(`Gateway ${config?.identity.gatewayId} provisioned.`);

    const tls = provisionedPaths(dir.path).tls;
    const ca = new X509Certificate(readFileSync(join(tls, 'ca.crt')));
    const server = new X509Certificate(readFileSync(join(tls, 'gateway.crt')));
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('gateway.clinic.local')).toBe('gateway.clinic.local');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    // The summary and QR carry the gateway id and the certificate fingerprint.
    expect(result.stdout).toContain(server.fingerprint256);
    expect(result.stdout).toContain(
      `nilecare:gateway:${config?.identity.gatewayId};sha256:${server.fingerprint256.replace(/:/g, '')}`,
    );
    // Private keys and the configuration are readable by the owner only.
    for (const file of ['tls/ca.key', 'tls/gateway.key', 'nilecare.json'])
      expect(statSync(join(provisionedPaths(dir.path).dir, file)).mode & 0o077, file).toBe(0);
    // PHI keys exist only wrapped: no plain key file, and the KEK unwraps them.
    expect(existsSync(dataPaths(dir.path).phiKeys)).toBe(false);
    const keyring = keyringOf(config!, { file: kekFile });
    expect(keyring.keys.get(keyring.activeKeyId)?.length).toBe(32);
    const raw = readFileSync(provisionedPaths(dir.path).config, 'utf8');
    expect(raw).not.toContain(keyring.keys.get(keyring.activeKeyId)!.toString('base64'));
  });

  it('changes nothing when run again with the same request', async () => {
    await runProvision(dir.path, kekFile);
    const before = snapshot();
    const again = await runProvision(dir.path, kekFile);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already provisioned; nothing changed');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a different request without --force (exit 3), and with --force keeps the gateway id and PHI keys', async () => {
    await runProvision(dir.path, kekFile);
    const first = loadProvisionedConfig(dir.path)!;
    const before = snapshot();
    const refused = await runProvision(dir.path, kekFile, ['--https-port', '9443']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('HTTPS port: 8443 → 9443');
    expect(snapshot()).toEqual(before);

    const forced = await runProvision(dir.path, kekFile, ['--https-port', '9443', '--force']);
    expect(forced.code).toBe(0);
    const second = loadProvisionedConfig(dir.path)!;
    expect(second.tls.httpsPort).toBe(9443);
    expect(second.identity.gatewayId).toBe(first.identity.gatewayId);
    const keysBefore = keyringOf(first, { file: kekFile });
    const keysAfter = keyringOf(second, { file: kekFile });
    expect([...keysAfter.keys.entries()]).toEqual([...keysBefore.keys.entries()]);
  });

  it('refuses a KEK file other than the one the keys were wrapped with', async () => {
    await runProvision(dir.path, kekFile);
    const other = writeKekFile(secrets.path, 'other.kek');
    const result = await runProvision(dir.path, other);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GW_ERR_PHI_KEY');
  });

  it('leaves either no provisioned folder or a complete one when killed in the middle of a run', async () => {
    let killedMidRun = 0;
    for (const delayMs of [0, 2, 5, 10, 20, 40, 80]) {
      if (await provisionKilledMidRun(dir.path, kekFile, delayMs)) killedMidRun += 1;
      if (existsSync(provisionedPaths(dir.path).dir)) {
        // The rename happened before the kill: the folder must be whole.
        const config = loadProvisionedConfig(dir.path)!;
        const root = provisionedPaths(dir.path).dir;
        for (const file of [config.tls.ca, config.tls.cert, config.tls.key, config.tls.caKey])
          expect(readFileSync(join(root, file)).length, file).toBeGreaterThan(100);
        keyringOf(config, { file: kekFile });
        break;
      }
    }
    expect(killedMidRun).toBeGreaterThan(0);
    // A run to the end tidies what the killed runs left and reports a usable configuration.
    const result = await runProvision(dir.path, kekFile);
    expect(result.code).toBe(0);
    expect(readdirSync(dir.path).filter((name) => name.includes('.staging-'))).toEqual([]);
    expect(loadProvisionedConfig(dir.path)).toBeDefined();
  });

  it('adopts a development folder with events: same gateway id, its PHI keys wrapped, identity change refused', async () => {
    const folder = openRecordedDataDir(dir.path, '2026-11-20T08:00:00.000Z');
    const devGatewayId = folder.services.identity.gatewayId;
    const devFacility = folder.services.identity.facilityId;
    const devKey = folder.services.keyring.keys.get(folder.services.keyring.activeKeyId)!;
    await folder.registerAndAdmit('patient-1', 'Amna', { ward: 'Ward A', bed: 'A-1' });
    folder.close();

    const refused = await runProvision(dir.path, kekFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GW_ERR_PROVISION_CONFLICT');
    expect(existsSync(provisionedPaths(dir.path).dir)).toBe(false);

    const args = [
      'provision',
      '--data-dir',
      dir.path,
      '--facility',
      devFacility,
      '--tenant',
      'tenant-dev',
      '--kek-file',
      kekFile,
    ];
    const { runNilecare } = await import('../../harness/gatewayProcess.ts');
    const adopted = await runNilecare(args);
    expect(adopted.stderr).toBe('');
    expect(adopted.code).toBe(0);
    const config = loadProvisionedConfig(dir.path)!;
    expect(config.identity.gatewayId).toBe(devGatewayId);
    expect(keyringOf(config, { file: kekFile }).keys.get(config.phiKeys.activeKeyId)).toEqual(devKey);
    expect(existsSync(dataPaths(dir.path).phiKeys)).toBe(false);
  });
});
