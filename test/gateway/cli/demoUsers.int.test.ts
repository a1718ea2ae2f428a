import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nilecareCli } from '../../harness/gatewayProcess.ts';
import { loginOverHttp } from '../../harness/sessions.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';

const dir = tempDataDir();
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
let stop: (() => Promise<void>) | undefined;

afterAll(async () => {
  await stop?.();
  dir.remove();
});

describe('the quick start (nilecare start --simulate) on a gateway with no users', () => {
  it('makes one demo user per role, shows the passwords once on the terminal and in a 0600 file, never in the log', async () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('NILECARE_')),
    );
    const child = spawn(
      process.execPath,
      [
        nilecareCli,
        'start',
        '--simulate',
        '--data-dir',
        dir.path,
        '--http-port',
        '0',
        '--mqtt-port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      { cwd: repositoryRoot, env: { ...env, NILECARE_LOG_LEVEL: 'info', NILECARE_LOG_FORMAT: 'json' } },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    stop = async () => {
      child.kill('SIGTERM');
      await exited;
    };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const readyLine = (): { event?: string; httpPort?: number } | undefined =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { event?: string; httpPort?: number })
        .find((entry) => entry.event === 'gateway_ready');
    // The banner (stderr) and the log (stdout) are separate pipes: either may be read first.
    await waitFor(
      'the banner with the demo users and the gateway_ready log line',
      () => stderr.includes('Stop with Ctrl+C') && readyLine() !== undefined,
      { timeoutMs: 30_000 },
    );
    const ready = readyLine();
    expect(ready).toBeDefined();

    const file = join(dir.path, 'demo-credentials.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [username, role, password] = line.split('\t');
        return { username: username!, role: role!, password: password! };
      });
    expect(credentials.map((user) => [user.username, user.role])).toEqual([
      ['admin', 'admin'],
      ['nurse', 'nurse'],
      ['physician', 'physician'],
      ['technician', 'technician'],
    ]);

    const base = `http://127.0.0.1:${ready!.httpPort}`;
    for (const user of credentials) {
      expect(user.password.length).toBeGreaterThanOrEqual(10);
      expect(stderr).toContain(user.password);
      const headers = await loginOverHttp(base, user.username, user.password);
      const me = (await (await fetch(`${base}/api/v1/session`, { headers })).json()) as {
        user: { role: string };
      };
      expect(me.user.role).toBe(user.role);
    }
    // Some log lines later (the simulated ward, the sign-ins): still no password in them.
    for (const user of credentials) expect(stdout).not.toContain(user.password);
  }, 90_000);
});
