import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { checkPasswordRules, hashPassword, verifyPassword } from './passwordHash.ts';
import { isRole, type Role } from '../../kernel/roles/permissions.ts';

/** A user as the API shows one: never the password hash. */
export interface User {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** The admin who created the user; absent from the CLI. */
  createdBy?: string;
}

export interface UserStore {
  add(user: NewUser): Promise<User>;
  list(): User[];
  get(userId: string): User | undefined;
  /** The user whose username and password match, if active; the same time taken whether the name exists or not. */
  authenticate(username: string, password: string): Promise<User | undefined>;
  disable(userId: string): User;
  count(): number;
}

/** Usernames: lower-case letters, digits and `.`, `_`, `-`, 2 to 32 characters. */
export const usernamePattern = '^[a-z0-9][a-z0-9._-]{1,31}$';
const usernameRule = new RegExp(usernamePattern);

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

function toUser(row: UserRow): User {
  if (!isRole(row.role)) throw new GatewayError('GW_ERR_INTERNAL', [`user ${row.user_id} has no known role`]);
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** Users live in a table beside the devices: configuration, not clinical facts (docs/security-access.md). */
export function createUserStore(db: SqliteDatabase, clock: () => Date, newId: () => string): UserStore {
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username');
  const insert = db.prepare(
    `INSERT INTO users (user_id, username, display_name, role, password_hash, created_at, created_by)
     VALUES (@userId, @username, @displayName, @role, @passwordHash, @createdAt, @createdBy)`,
  );
  const activeAdmins = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL",
  );
  const markDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE user_id = ?');
  const endSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  // Verified for an unknown username, so that it costs what a wrong password costs.
  let decoy: Promise<string> | undefined;

  return {
    async add({ username, displayName, role, password, createdBy }) {
      const name = username.trim().toLowerCase();
      if (!usernameRule.test(name))
        throw new GatewayError('GW_ERR_REQUEST_INVALID', [
          `username must be 2 to 32 lower-case letters, digits, ".", "_" or "-"`,
        ]);
      const display = displayName.trim();
      if (display.length < 1 || display.length > 128)
        throw new GatewayError('GW_ERR_REQUEST_INVALID', ['displayName must be 1 to 128 characters']);
      if (!isRole(role))
        throw new GatewayError('GW_ERR_REQUEST_INVALID', [`role "${String(role)}" is unknown`]);
      checkPasswordRules(password);
      if (byName.get(name)) throw new GatewayError('GW_ERR_USER_EXISTS', [name]);
      const passwordHash = await hashPassword(password);
      const userId = newId();
      try {
        insert.run({
          userId,
          username: name,
          displayName: display,
          role,
          passwordHash,
          createdAt: clock().toISOString(),
          createdBy: createdBy ?? null,
        });
      } catch (error) {
        // Two requests for one name raced through the hashing.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
          throw new GatewayError('GW_ERR_USER_EXISTS', [name]);
        throw error;
      }
      return toUser(byId.get(userId)!);
    },
    list: () => all.all().map(toUser),
    get(userId) {
      const row = byId.get(userId);
      return row ? toUser(row) : undefined;
    },
    async authenticate(username, password) {
      const row = byName.get(username.trim().toLowerCase());
      if (!row) {
        decoy ??= hashPassword(randomBytes(24).toString('base64url'));
        await verifyPassword(password, await decoy);
        return undefined;
      }
      const matches = await verifyPassword(password, row.password_hash);
      return matches && row.disabled_at === null ? toUser(row) : undefined;
    },
    disable(userId) {
      const row = byId.get(userId);
      if (!row) throw new GatewayError('GW_ERR_USER_UNKNOWN', [userId]);
      if (row.disabled_at !== null)
        throw new GatewayError('GW_ERR_USER_STATE', [userId, 'is already disabled']);
      db.transaction(() => {
        if (row.role === 'admin' && activeAdmins.get()!.n <= 1)
          throw new GatewayError('GW_ERR_USER_STATE', [userId, 'is the last active admin']);
        markDisabled.run(clock().toISOString(), userId);
        endSessions.run(userId);
      })();
      return toUser(byId.get(userId)!);
    },
    count: () => countAll.get()!.n,
  };
}
