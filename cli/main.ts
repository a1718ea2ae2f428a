/**
 * The `nilecare` command: the gateway's command groups (gateway/cli/) and the
 * hub's (hub/cli/), composed. A group whose folder is not installed is left
 * out, so the hub's image, which ships kernel/, hub/ and cli/ only, has the
 * `hub` commands and nothing of the gateway. Every coded error is printed the
 * same way (kernel/errors/defineErrors.ts `codedErrorText`), exit code 1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliUsageError } from '../kernel/errors/cliUsageErrors.ts';
import { codedErrorText, isCodedError } from '../kernel/errors/defineErrors.ts';

const root = join(import.meta.dirname, '..');
const groups: { folder: string; register: () => Promise<(program: Command) => void> }[] = [
  {
    folder: 'gateway',
    register: async () => (await import('../gateway/cli/gatewayCommands.ts')).registerGatewayCommands,
  },
  { folder: 'hub', register: async () => (await import('../hub/cli/hubCommands.ts')).registerHubCommands },
];

// exitOverride: a command line commander cannot read becomes a coded error below
// instead of commander's own exit; every subcommand inherits it.
const program = new Command('nilecare')
  .description('NileCare Edge: the clinic gateway')
  .showHelpAfterError()
  .exitOverride();
for (const group of groups) {
  if (existsSync(join(root, group.folder))) (await group.register())(program);
}

/** What commander refused, in its words; a command given without its subcommand shows the usage only. */
function usageProblem(error: CommanderError): string {
  return error.code === 'commander.help' ? 'a command is needed' : error.message.replace(/^error: /, '');
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end here with commander's own exit code (0); anything else it refused is a usage error,
    // its message already printed with the usage above.
    process.exitCode = error.exitCode;
    if (error.exitCode !== 0)
      console.error(codedErrorText(new CliUsageError('GW_ERR_CLI_USAGE', [usageProblem(error)])));
  } else {
    console.error(isCodedError(error) ? codedErrorText(error) : error);
    process.exitCode = 1;
  }
}
