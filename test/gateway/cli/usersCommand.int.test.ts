import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  nilecareCli,
  runNilecare,
  startGatewayProcess,
} from '../../harness/gatewayProcess.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { loginOverHttp } from '../../harness/sessions.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { databaseFilesText } from '../../harness/injectedGateway.ts';

const password = 'Nile at dawn, ward 3';
const dir = tempDataDir();
let gateway: GatewayProcess | undefined;

const addUser = (args: string[], input: string) =>
  runNilecare(['users', 'add', '--data-dir', dir.path, ...args], { input });

beforeAll(async () => {
  const added = await addUser(
    ['--username', 'Amna', '--name', 'آمنة عثمان', '--role', 'admin'],
    `${password}\n`,
  );
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(added.stdout).toMatch(/^user amna \(admin\) created: [0-9a-f-]{36}\n$/);
}, 60_000);
afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exited;
  dir.remove();
});

describe('nilecare users add (the first admin of a clinic)', () => {
  it('creates a user a gateway started on that data folder signs in over HTTP', async () => {
    gateway = await startGatewayProcess(dir.path);
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    const headers = await loginOverHttp(base, 'amna', password);
    const users = (await (await fetch(`${base}/api/v1/users`, { headers })).json()) as {
      users: { username: string; displayName: string; role: string }[];
    };
    expect(users.users).toEqual([
      expect.objectContaining({ username: 'amna', displayName: 'آمنة عثمان', role: 'admin' }),
    ]);
  }, 60_000);

  it('lists it with nilecare users list', async () => {
    const listed = await runNilecare(['users', 'list', '--data-dir', dir.path]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^amna\tadmin\tactive\t[0-9a-f-]{36}\tآمنة عثمان$/m);
  });

  it('stores the password only as a hash', () => {
    expect(databaseFilesText(dir.path)).not.toContain(password);
  });

  it('refuses a password under 12 characters, a taken username and an unknown role, exit 1 with the code', async () => {
    const short = await addUser(['--username', 'huda', '--name', 'Huda', '--role', 'nurse'], 'elevenchars\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('GW_ERR_PASSWORD_WEAK');
    const taken = await addUser(
      ['--username', 'AMNA', '--name', 'Another', '--role', 'nurse'],
      `${password}\n`,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('GW_ERR_USER_EXISTS');
    const role = await addUser(['--username', 'huda', '--name', 'Huda', '--role', 'matron'], `${password}\n`);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('GW_ERR_OPTION_INVALID');
    const listed = await runNilecare(['users', 'list', '--data-dir', dir.path]);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('on a terminal asks twice without echoing what is typed (a real pseudo-terminal from socat)', async () => {
    const typed = 'Typed at the desk 42';
    const command = `${process.execPath} ${nilecareCli} users add --data-dir ${dir.path} --username hawa --name Hawa --role nurse`;
    // socat gives the command a pseudo-terminal as its stdin, stdout and stderr (setsid, ctty: its own terminal).
    const socat = spawn('socat', ['-', `EXEC:${command},pty,setsid,ctty,stderr`], {
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NILECARE_'))),
    });
    let screen = '';
    socat.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => socat.once('exit', resolve));
    // Typed only once asked: raw mode (no echo) starts with the prompt, as with sudo or ssh.
    await waitFor('the first prompt', () => screen.includes('Password'), { timeoutMs: 30_000 });
    socat.stdin.write(`${typed}\r`);
    await waitFor('the second prompt', () => screen.includes('Same password again'), { timeoutMs: 10_000 });
    socat.stdin.write(`${typed}\r`);
    await waitFor('the answer', () => screen.includes('created'), { timeoutMs: 30_000 });
    socat.stdin.end();
    await exited;
    expect(screen).toMatch(/user hawa \(nurse\) created/);
    expect(screen).not.toContain(typed);
    expect(screen).not.toContain('Typed');
  }, 60_000);
});
