import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { nilecareCli, runNilecare } from '../harness/gatewayProcess.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';

/** A device password is checked at every MQTT connection from the LAN: it must not be guessable (docs/mqtt.md). */
let dir: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => {
  dir.remove();
});

const devicesAdd = (args: string[], input?: string) =>
  runNilecare(['devices', 'add', ...args, '--data-dir', dir.path], input === undefined ? {} : { input });

/** Whether the registry of the data folder takes `password` for the device. */
async function deviceLogsIn(deviceId: string, password: string): Promise<boolean> {
  const services = openGatewayStore(
    resolveGatewayOptions({ dataDir: dir.path, logLevel: 'silent' }),
    () => new Date(),
    uuidV7,
  );
  try {
    return (await services.registry.authenticate(deviceId, password)).ok;
  } finally {
    services.db.close();
  }
}

describe('nilecare devices add with a chosen password', () => {
  it('refuses a one-character password on the command line, and registers nothing', async () => {
    const result = await devicesAdd(['monitor-1', '--password', 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GW_ERR_DEVICE_PASSWORD_WEAK');
    expect(result.stderr).toContain('at least 12 characters');
    const listed = await runNilecare(['devices', 'list', '--data-dir', dir.path]);
    expect(listed.stdout).not.toContain('monitor-1');
  });

  it('refuses eleven characters and a password of spaces, from stdin too', async () => {
    for (const password of ['elevenchars', '              ']) {
      const result = await devicesAdd([`monitor-${password.length}`, '--password-stdin'], `${password}\n`);
      expect(result.code, JSON.stringify(password)).toBe(1);
      expect(result.stderr).toContain('GW_ERR_DEVICE_PASSWORD_WEAK');
    }
  });

  it('takes one of twelve characters or more from stdin, never prints it, and the device logs in with it', async () => {
    const password = 'ward-b-monitor-7';
    const result = await devicesAdd(['monitor-7', '--password-stdin'], `${password}\n`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('device monitor-7 registered');
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(await deviceLogsIn('monitor-7', password)).toBe(true);
  });

  it('on a terminal asks twice without echoing what is typed (a real pseudo-terminal from socat)', async () => {
    const typed = 'Typed for bed 9 monitor';
    const command = `${process.execPath} ${nilecareCli} devices add monitor-9 --password-stdin --data-dir ${dir.path}`;
    const socat = spawn('socat', ['-', `EXEC:${command},pty,setsid,ctty,stderr`], {
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NILECARE_'))),
    });
    let screen = '';
    socat.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => socat.once('exit', resolve));
    await waitFor('the first prompt', () => screen.includes('Device password'), { timeoutMs: 30_000 });
    socat.stdin.write(`${typed}\r`);
    await waitFor('the second prompt', () => screen.includes('Same password again'), { timeoutMs: 10_000 });
    socat.stdin.write(`${typed}\r`);
    await waitFor('the answer', () => screen.includes('registered'), { timeoutMs: 30_000 });
    socat.stdin.end();
    await exited;
    expect(screen).not.toContain(typed);
    expect(await deviceLogsIn('monitor-9', typed)).toBe(true);
  }, 60_000);

  it('still generates a random password of 22 characters when none is chosen', async () => {
    const result = await devicesAdd(['monitor-2']);
    expect(result.code, result.stderr).toBe(0);
    const password = /MQTT password: (\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await deviceLogsIn('monitor-2', password)).toBe(true);
  });
});
