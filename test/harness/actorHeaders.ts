import type { Actor } from '../../gateway/http/actor.ts';
import { runNilecare } from './gatewayProcess.ts';
import { addTestUser, sessionCookieFor, signInOverHttp } from './sessions.ts';
import type { InjectedGateway } from './injectedGateway.ts';

/**
 * Who acts, for the tests of the admission saga and the chart routes: real
 * users of each role signed in to the gateway under test, with the session
 * cookie to send and the actor every event of theirs must carry.
 */
export type StaffRole = 'nurse' | 'physician' | 'admin';

export interface Staff {
  /** The `cookie` header of the user's session. */
  headers: { cookie: string };
  /** The user as the events of their actions name them (the real user id from the store). */
  actor: Actor;
}

export type StaffOf = Record<StaffRole, Staff>;

/** The display names, one in Arabic: they must pass into events intact. */
const names: Record<Exclude<StaffRole, 'nurse'>, { username: string; displayName: string }> = {
  physician: { username: 'yousif', displayName: 'Dr Yousif Ibrahim' },
  admin: { username: 'omer', displayName: 'عمر حسن' },
};

/** A nurse (the gateway's own, آمنة عثمان), a physician and an admin, each with a session in an injected gateway. */
export async function signInStaff(gateway: InjectedGateway): Promise<StaffOf> {
  const signIn = async (role: Exclude<StaffRole, 'nurse'>): Promise<Staff> => {
    const user = await addTestUser(gateway.services, role, names[role]);
    return { headers: sessionCookieFor(gateway.services, user), actor: user.actor };
  };
  return {
    nurse: { headers: gateway.nurseHeaders, actor: gateway.nurse.actor },
    physician: await signIn('physician'),
    admin: await signIn('admin'),
  };
}

/** A nurse added to a gateway running in this process and signed in over its real HTTP port. */
export async function signInNurseOverHttp(gateway: Parameters<typeof signInOverHttp>[0]): Promise<Staff> {
  const nurse = await signInOverHttp(gateway, 'nurse', { username: 'amna', displayName: 'آمنة عثمان' });
  return { headers: nurse.headers, actor: nurse.actor };
}

/** The nurse a clinic's admin creates with `nilecare users add` before the gateway starts. */
export const cliNurse = { username: 'amna', displayName: 'آمنة عثمان', password: 'Ward 3 at dawn, Omdurman' };

/** Runs `nilecare users add` on a data folder (no gateway running) for `cliNurse`; returns her user id. */
export async function addNurseWithCli(dataDir: string): Promise<string> {
  const added = await runNilecare(
    [
      'users',
      'add',
      '--data-dir',
      dataDir,
      '--username',
      cliNurse.username,
      '--name',
      cliNurse.displayName,
      '--role',
      'nurse',
    ],
    { input: `${cliNurse.password}\n` },
  );
  const userId = /created: ([0-9a-f-]{36})/.exec(added.stdout)?.[1];
  if (added.code !== 0 || !userId)
    throw new Error(`nilecare users add answered ${added.code}: ${added.stdout}${added.stderr}`);
  return userId;
}
