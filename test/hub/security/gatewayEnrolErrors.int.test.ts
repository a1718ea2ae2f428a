import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNilecare } from '../../harness/gatewayProcess.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  dir = tempDataDir('nilecare-enrol-');
});
afterEach(() => dir.remove());

/** `nilecare hub gateways enrol gw-x` with this password file, against a port where no broker listens. */
const enrolWithPasswordFile = (passwordFile: string) =>
  runNilecare([
    'hub',
    'gateways',
    'enrol',
    'gw-x',
    '--password-file',
    passwordFile,
    '--brokers',
    '127.0.0.1:1',
  ]);

// The checks before any network: no Kafka is needed, and none is contacted.
describe('nilecare hub gateways enrol, refused input', () => {
  it('refuses a missing password file with a coded error', async () => {
    const result = await enrolWithPasswordFile(join(dir.path, 'missing.pw'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /HUB_ERR_GATEWAY_ENROL_FAILED: Kafka access of gateway gw-x not changed: password file/,
    );
  });

  it('refuses a password the SCRAM credential syntax would cut, without echoing it', async () => {
    const file = join(dir.path, 'comma.pw');
    writeFileSync(file, 'long-enough,with-a-comma\n');
    const result = await enrolWithPasswordFile(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HUB_ERR_GATEWAY_ENROL_FAILED.*comma/);
    expect(result.stderr + result.stdout).not.toContain('long-enough,with-a-comma');
  });

  it('says when the hub admin listener cannot be reached', async () => {
    const file = join(dir.path, 'good.pw');
    writeFileSync(file, 'a-good-password-123\n');
    const result = await enrolWithPasswordFile(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HUB_ERR_KAFKA_UNREACHABLE: Kafka at 127\.0\.0\.1:1 cannot be reached/);
  });
});
