import { defineErrors, type ErrorTable } from './defineErrors.ts';

/**
 * The `nilecare` command's one code for a command line it does not
 * understand (an unknown command or option, a missing argument). It lives in
 * the kernel because cli/main.ts serves the gateway's and the hub's commands
 * alike; the gateway's catalogue includes it (gateway/errors/runningTheGateway.ts),
 * as it does the PHI cipher's code, so docs/errors.md explains it once.
 */
export const cliUsageErrorCodes = {
  GW_ERR_CLI_USAGE: {
    status: 400,
    message: 'Command line not understood: %s',
    meaning: 'the `nilecare` command was given an unknown command or option, or lacks an argument',
    solve: 'run `nilecare help <command>` and correct the command line',
    readable: '`Command line not understood: <what the parser said>`',
    explanation: [
      'The `nilecare` command could not read its command line: an unknown command or',
      'option, an option without its value, or a required argument missing. It prints',
      "the command's usage above this line and does nothing else.",
      '',
      '**How to solve:** run `nilecare help <command>` (or `nilecare <command> --help`)',
      'and correct the command line; values with spaces need quotes.',
    ],
  },
} satisfies ErrorTable;

const cliUsageErrors = defineErrors('GatewayError', cliUsageErrorCodes);
export const CliUsageError = cliUsageErrors.Error;
