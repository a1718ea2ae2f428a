import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../kernel/roles/permissions.ts';
import type { UserStore } from './userStore.ts';

export interface DemoCredential {
  username: string;
  role: Role;
  password: string;
}

const demoUsers: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: 'Demo Admin', role: 'admin' },
  { username: 'nurse', displayName: 'Demo Nurse', role: 'nurse' },
  { username: 'physician', displayName: 'Demo Physician', role: 'physician' },
  { username: 'technician', displayName: 'Demo Technician', role: 'technician' },
];

export const demoCredentialsFile = (dataDir: string) => join(dataDir, 'demo-credentials.txt');

/**
 * The quick start's users (`npm start` = `start --simulate`): on a gateway
 * with no users at all, one user per role with a random password, written to
 * `<dataDir>/demo-credentials.txt` (mode 0600) for the banner to show once.
 * A gateway that already has users gets none: a real clinic adds its first
 * admin with `nilecare users add` (docs/security-access.md).
 */
export async function ensureDemoUsers(users: UserStore, dataDir: string): Promise<DemoCredential[]> {
  if (users.count() > 0) return [];
  const made: DemoCredential[] = [];
  for (const demo of demoUsers) {
    const password = randomBytes(12).toString('base64url');
    await users.add({ ...demo, password });
    made.push({ username: demo.username, role: demo.role, password });
  }
  const file = demoCredentialsFile(dataDir);
  writeFileSync(
    file,
    [
      '# NileCare Edge demo users (created because this gateway had no users and runs --simulate).',
      '# Sign in at the web address the gateway printed. Not for a real clinic.',
      ...made.map((user) => `${user.username}\t${user.role}\t${user.password}`),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return made;
}
