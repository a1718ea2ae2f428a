import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInFrom, statusCounts } from '../harness/httpFrom.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * Attacks on the sign-in limit (docs/security-access.md#sign-in-limits) with
 * real HTTP clients against a gateway on 127.0.0.1; the attacker is
 * 127.0.0.1, colleagues sign in from other loopback addresses.
 */
let dir: ReturnType<typeof tempDataDir>;
let gateway: TestGateway;
let port: number;

beforeEach(async () => {
  dir = tempDataDir('nilecare-attack-');
  gateway = await startTestGateway({ dataDir: dir.path });
  port = gateway.httpPort;
});
afterEach(async () => {
  await gateway.stop();
  dir.remove();
});

const attacker = '127.0.0.1';
const burst = <T>(count: number, attempt: (n: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, n) => attempt(n)));

describe('a parallel burst of sign-ins from one address', () => {
  it('is counted as it arrives: 40 at once, the last with the right password, get 5 tries and 35 × 429', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse');
    const answers = await burst(40, (n) =>
      signInFrom(attacker, port, nurse.username, n === 39 ? nurse.password : `wrong-guess-${n}`),
    );
    const counts = statusCounts(answers);
    // Five tries reach scrypt (the name's limit at one address); which were first is up to arrival order.
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBe(5);
    expect(counts[429]).toBe(35);
  });

  it('of 150 wrong passwords lets 5 be tried and refuses 145 with 429 and Retry-After', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse');
    const answers = await burst(150, (n) => signInFrom(attacker, port, nurse.username, `wrong-guess-${n}`));
    expect(statusCounts(answers)).toEqual({ 401: 5, 429: 145 });
    for (const answer of answers.filter((one) => one.status === 429)) {
      expect(answer.code).toBe('GW_ERR_LOGIN_RATE_LIMITED');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('is still refused after the gateway restarts: the counts are in its database', async () => {
    const nurse = await addTestUser(gateway.services, 'nurse');
    await burst(10, (n) => signInFrom(attacker, port, nurse.username, `wrong-guess-${n}`));
    await gateway.stop();
    gateway = await startTestGateway({ dataDir: dir.path });
    port = gateway.httpPort;
    const after = await signInFrom(attacker, port, nurse.username, nurse.password);
    expect(after.status).toBe(429);
    expect(after.code).toBe('GW_ERR_LOGIN_RATE_LIMITED');
  });
});

describe('wrong passwords spread over several accounts', () => {
  let staff: TestUser[];
  beforeEach(async () => {
    staff = [
      await addTestUser(gateway.services, 'admin', { username: 'admin' }),
      await addTestUser(gateway.services, 'physician', { username: 'physician' }),
      await addTestUser(gateway.services, 'technician', { username: 'technician' }),
    ];
  });

  it('from one address lock none of them for colleagues at other addresses', async () => {
    const answers = await burst(15, (n) =>
      signInFrom(attacker, port, staff[n % 3]!.username, `wrong-guess-${n}`),
    );
    // The attacker's address is stopped after ten, wherever they went.
    expect(statusCounts(answers)).toEqual({ 401: 10, 429: 5 });
    const colleagues = await Promise.all(
      staff.map((user, n) => signInFrom(`127.0.0.${n + 2}`, port, user.username, user.password)),
    );
    expect(colleagues.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // The attacker is still stopped, even with a right password.
    expect((await signInFrom(attacker, port, staff[0]!.username, staff[0]!.password)).status).toBe(429);
  });

  it('from many addresses close one name to everyone once the ceiling of 20 is reached', async () => {
    const [admin] = staff;
    const addresses = ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14'];
    const answers = await Promise.all(
      addresses.flatMap((from) =>
        Array.from({ length: 5 }, (_, n) => signInFrom(from, port, admin!.username, `wrong-guess-${n}`)),
      ),
    );
    expect(statusCounts(answers)).toEqual({ 401: 20 });
    const fresh = await signInFrom('127.0.0.20', port, admin!.username, admin!.password);
    expect(fresh.status).toBe(429);
    // The other names are untouched.
    expect((await signInFrom('127.0.0.20', port, 'physician', staff[1]!.password)).status).toBe(200);
  });
});
