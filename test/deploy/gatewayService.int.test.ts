import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../harness/tempDataDir.ts';

const root = resolve(import.meta.dirname, '..', '..');
const installScript = resolve(root, 'deploy', 'gateway', 'install.sh');

function systemdAnalyzeVerify(unitFile: string): string {
  try {
    return execFileSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { stderr?: string };
    if (failed.code === 'ENOENT')
      throw new Error('systemd-analyze is not installed: apt-get install systemd (.ci/run does it)');
    throw new Error(`systemd-analyze verify refused ${unitFile}:\n${failed.stderr ?? failed.message}`);
  }
}

describe('gateway systemd unit and install script (deploy/gateway/)', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  function install(target: string): string {
    return execFileSync('bash', [installScript, '--root', target, '--no-deps'], { encoding: 'utf8' });
  }

  it('lays out the application, settings and a unit that systemd-analyze verify accepts', () => {
    const target = tempDataDir('nilecare-install-');
    dirs.push(target);
    install(target.path);
    const unitFile = resolve(target.path, 'etc/systemd/system/nilecare-gateway.service');
    const unit = readFileSync(unitFile, 'utf8');
    // install.sh points ExecStart at this machine's Node.js.
    expect(unit).toContain(
      `ExecStart=${execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim()} /opt/nilecare/cli/nilecare.js start`,
    );
    expect(systemdAnalyzeVerify(unitFile).trim()).toBe('');
    expect(existsSync(resolve(target.path, 'opt/nilecare/cli/nilecare.js'))).toBe(true);
    expect(existsSync(resolve(target.path, 'opt/nilecare/package-lock.json'))).toBe(true);
    expect(existsSync(resolve(target.path, 'opt/nilecare/data'))).toBe(false);
    expect(existsSync(resolve(target.path, 'opt/nilecare/.git'))).toBe(false);
    expect(readFileSync(resolve(target.path, 'etc/nilecare/gateway.env'), 'utf8')).toContain(
      'NILECARE_KAFKA_BROKERS',
    );
  });

  it('runs the gateway as its own user, restarts it always, and hardens it', () => {
    const unit = readFileSync(resolve(root, 'deploy', 'gateway', 'nilecare-gateway.service'), 'utf8');
    const settings = new Set(unit.split('\n').filter((line) => /^[A-Z]\w*=/.test(line)));
    for (const wanted of [
      'User=nilecare',
      'Restart=always',
      'StartLimitIntervalSec=0',
      'StateDirectory=nilecare',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'SystemCallFilter=@system-service',
      'DevicePolicy=closed',
      'UMask=0077',
    ])
      expect(settings.has(wanted), wanted).toBe(true);
  });

  it('keeps an edited gateway.env when run again', () => {
    const target = tempDataDir('nilecare-install-');
    dirs.push(target);
    install(target.path);
    const envFile = resolve(target.path, 'etc/nilecare/gateway.env');
    writeFileSync(envFile, 'NILECARE_KAFKA_BROKERS=hub.example:9094\n');
    const second = install(target.path);
    expect(second).toContain('kept the existing');
    expect(readFileSync(envFile, 'utf8')).toBe('NILECARE_KAFKA_BROKERS=hub.example:9094\n');
  });
});
