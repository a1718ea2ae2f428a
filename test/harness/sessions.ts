import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../gateway/auth/passwordHash.ts';
import type { Role } from '../../kernel/roles/permissions.ts';
import { SESSION_COOKIE } from '../../gateway/auth/sessionCookie.ts';
import { createSessionStore } from '../../gateway/auth/sessionStore.ts';
import { createUserStore, type User } from '../../gateway/auth/userStore.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import type { Actor } from '../../gateway/http/actor.ts';

/** What a test needs of a gateway's store to add users and sessions to it. */
type Store = Pick<GatewayServices, 'db' | 'clock' | 'newId' | 'options'>;

export interface TestUser extends User {
  password: string;
  /** The user as every event of their actions names them. */
  actor: Actor;
}

/**
 * The password of every user made by addTestUser. Hashed once per test
 * worker with the gateway's real scrypt: a fresh hash per user would cost
 * each test a second of CPU on a shared machine and prove nothing more.
 */
export const testPassword = `test-${randomBytes(9).toString('base64url')}`;
let testPasswordHash: Promise<string> | undefined;

let made = 0;

/**
 * A user of `role` written straight into a gateway's store (the users table
 * of its SQLite file), as `nilecare users add` would; sign in with
 * `testPassword`. For a child-process gateway, pass the store of its data
 * folder opened before it starts.
 */
export async function addTestUser(
  store: Store,
  role: Role,
  { username = `${role}-${++made}`, displayName = `Test ${role} ${made}` } = {},
): Promise<TestUser> {
  testPasswordHash ??= hashPassword(testPassword);
  const userId = store.newId();
  store.db
    .prepare(
      `INSERT INTO users (user_id, username, display_name, role, password_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(userId, username, displayName, role, await testPasswordHash, store.clock().toISOString());
  const user = createUserStore(store.db, store.clock, store.newId).get(userId)!;
  return { ...user, password: testPassword, actor: { userId, userName: displayName, userRole: role } };
}

/** A session for the user started in the store (no sign-in request): the `cookie` header that carries it. */
export function sessionCookieFor(store: Store, user: User): { cookie: string } {
  const users = createUserStore(store.db, store.clock, store.newId);
  const sessions = createSessionStore(store.db, users, store.clock, {
    idleMs: store.options.sessionIdleMinutes * 60_000,
    maxMs: store.options.sessionMaxHours * 3_600_000,
  });
  return { cookie: `${SESSION_COOKIE}=${sessions.start(user)}` };
}

/** Signs in over real HTTP (POST /api/v1/session); returns the `cookie` header for the next requests. */
export async function loginOverHttp(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ cookie: string }> {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`signing in as ${username} answered ${response.status}: ${await response.text()}`);
  return { cookie: cookieOf(response.headers.getSetCookie()) };
}

/** Signs in through `app.inject()` (the real route, no port); returns the `cookie` header. */
export async function loginInjected(
  app: FastifyInstance,
  username: string,
  password: string,
): Promise<{ cookie: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`signing in as ${username} answered ${response.statusCode}: ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  return { cookie: cookieOf(Array.isArray(setCookie) ? setCookie : [String(setCookie)]) };
}

/** A user of `role` added to a running gateway's store and signed in over its real HTTP port. */
export async function signInOverHttp(
  gateway: { services: Store; httpPort: number },
  role: Role,
  names?: { username?: string; displayName?: string },
): Promise<TestUser & { headers: { cookie: string } }> {
  const user = await addTestUser(gateway.services, role, names);
  const headers = await loginOverHttp(`http://127.0.0.1:${gateway.httpPort}`, user.username, user.password);
  return { ...user, headers };
}

function cookieOf(setCookies: readonly string[]): string {
  const session = setCookies.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  if (!session) throw new Error(`no ${SESSION_COOKIE} cookie in ${JSON.stringify(setCookies)}`);
  return session.split(';')[0]!;
}
