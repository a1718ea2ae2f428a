import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

/**
 * The quick start's data folder holds names, dates of birth and password
 * hashes: another account on the machine must read none of it, whatever the
 * umask the gateway was started under (docs/security.md#a1-access-control).
 */
let parent: ReturnType<typeof tempDataDir>;
let dataDir: string;
let gateway: GatewayProcess | undefined;
let umaskBefore: number;

// Children inherit the umask: the gateway and the CLI run under 022, the usual login default.
beforeAll(() => {
  umaskBefore = process.umask(0o022);
});
afterAll(() => {
  process.umask(umaskBefore);
});
beforeEach(() => {
  parent = tempDataDir('nilecare-modes-');
  dataDir = join(parent.path, 'data');
});
afterEach(async () => {
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;
  }
  parent.remove();
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** Every entry under `dir` whose mode lets anyone but the owner in, as "path 0644". */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const mode = modeOf(path);
    if ((mode & 0o077) !== 0) found.push(`${path.slice(dataDir.length) || '/'} ${octal(mode)}`);
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

describe('the data folder of a gateway started under umask 022', () => {
  it('is 0700 and every file in it 0600: database, -wal, -shm, keys, identity and a backup', async () => {
    gateway = await startGatewayProcess(dataDir);
    const backup = await runNilecare(['backup', '--data-dir', dataDir]);
    expect(backup.code, backup.stderr).toBe(0);
    const names = readdirSync(dataDir);
    expect(names).toEqual(expect.arrayContaining(['gateway.db', 'gateway.db-wal', 'gateway.db-shm', 'keys']));
    expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(1);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'gateway.db'))).toBe(0o600);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('is closed again at start when an older version left it open (0755 folder, 0644 database)', async () => {
    gateway = await startGatewayProcess(dataDir);
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    gateway = undefined;
    chmodSync(dataDir, 0o755);
    for (const name of readdirSync(dataDir).filter((one) => one.startsWith('gateway.db')))
      chmodSync(join(dataDir, name), 0o644);
    gateway = await startGatewayProcess(dataDir);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('stays closed when the folder was made beforehand by someone else’s tool with 0755', async () => {
    mkdirSync(dataDir, { mode: 0o755 });
    writeFileSync(join(dataDir, 'README'), 'made by hand\n', { mode: 0o600 });
    gateway = await startGatewayProcess(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
  });
});
