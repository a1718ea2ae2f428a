import type { Command } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../auth/passwordHash.ts';
import { createUserStore } from '../auth/userStore.ts';
import { isRole, roles } from '../../kernel/roles/permissions.ts';
import { GatewayError } from '../errors.ts';
import { type CommonFlags, dataDirOption, openForCommand } from './cliOptions.ts';
import { readNewSecret } from './secretInput.ts';

interface AddFlags extends CommonFlags {
  username: string;
  name: string;
  role: string;
}

/**
 * `nilecare users add`: the first admin of a clinic, or any user. The
 * password never goes on the command line (shell history, `ps`): it is read
 * from stdin when stdin is not a terminal (`... < file`, a pipe), or asked
 * twice without echo.
 */
export async function usersAddCommand(flags: AddFlags): Promise<void> {
  if (!isRole(flags.role))
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      '--role',
      `must be one of ${roles.join(', ')}`,
      flags.role,
    ]);
  const password = await readNewSecret(
    `Password (at least ${MIN_PASSWORD_LENGTH} characters): `,
    (why) => new GatewayError('GW_ERR_PASSWORD_WEAK', [why]),
  );
  const services = openForCommand(flags);
  try {
    const users = createUserStore(services.db, services.clock, services.newId);
    const user = await users.add({
      username: flags.username,
      displayName: flags.name,
      role: flags.role,
      password,
    });
    console.log(`user ${user.username} (${user.role}) created: ${user.userId}`);
  } finally {
    services.db.close();
  }
}

export async function usersListCommand(flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags);
  try {
    for (const user of createUserStore(services.db, services.clock, services.newId).list()) {
      const state = user.disabledAt ? `disabled ${user.disabledAt}` : 'active';
      console.log(`${user.username}\t${user.role}\t${state}\t${user.userId}\t${user.displayName}`);
    }
  } finally {
    services.db.close();
  }
}

/** `nilecare users ...`: the people who sign in. */
export function registerUsersCommands(program: Command): void {
  const users = program
    .command('users')
    .description('add and list the people who sign in (docs/security-access.md)');
  users
    .command('add')
    .description('add a user; the password is read from stdin, or asked twice without echo on a terminal')
    .addOption(dataDirOption())
    .requiredOption('--username <username>', 'sign-in name: 2 to 32 letters, digits, ".", "_" or "-"')
    .requiredOption('--name <displayName>', 'the name events and screens show, e.g. "Amna Osman"')
    .requiredOption('--role <role>', 'nurse, physician, technician or admin')
    .action(usersAddCommand);
  users
    .command('list')
    .description('list users and their roles')
    .addOption(dataDirOption())
    .action(usersListCommand);
}
