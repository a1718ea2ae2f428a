/**
 * The `nilecare` command: the gateway's command groups (gateway/cli/) and the
 * hub's (hub/cli/), composed. A group whose folder is not installed is left
 * out, so the hub's image, which ships kernel/, hub/ and cli/ only, has the
 * `hub` commands and nothing of the gateway. Every coded error is printed the
 * same way (kernel/errors/defineErrors.ts `codedErrorText`), exit code 1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { codedErrorText, isCodedError } from '../kernel/errors/defineErrors.ts';

const root = join(import.meta.dirname, '..');
const groups: { folder: string; register: () => Promise<(program: Command) => void> }[] = [
  {
    folder: 'gateway',
    register: async () => (await import('../gateway/cli/gatewayCommands.ts')).registerGatewayCommands,
  },
  { folder: 'hub', register: async () => (await import('../hub/cli/hubCommands.ts')).registerHubCommands },
];

const program = new Command('nilecare').description('NileCare Edge: the clinic gateway').showHelpAfterError();
for (const group of groups) {
  if (existsSync(join(root, group.folder))) (await group.register())(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(isCodedError(error) ? codedErrorText(error) : error);
  process.exitCode = 1;
}
