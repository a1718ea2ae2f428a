import type { Command } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../auth/passwordHash.ts';
import { createUserStore } from '../auth/userStore.ts';
import { isRole, roles } from '../../kernel/roles/permissions.ts';
import { GatewayError } from '../errors.ts';
import { type CommonFlags, dataDirOption, openForCommand } from './cliOptions.ts';

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
  const password = process.stdin.isTTY ? await askTwice() : await firstLineOfStdin();
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

async function askTwice(): Promise<string> {
  const first = await askHidden(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const second = await askHidden('Same password again: ');
  if (first !== second) throw new GatewayError('GW_ERR_PASSWORD_WEAK', ['the two entries differ']);
  return first;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

/** Reads a line from the terminal in raw mode, echoing nothing. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (character === '\u0003' || character === '\u0004') {
          finish();
          reject(new GatewayError('GW_ERR_PASSWORD_WEAK', ['no password entered']));
          return;
        }
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    stdin.on('data', onData);
  });
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
