import { describe, expect, it } from 'vitest';
import { runNilecare } from '../harness/gatewayProcess.ts';

// A command line the `nilecare` command cannot read ends in a coded error (docs/errors.md#gw_err_cli_usage)
// and exit 1, as every other CLI failure does; help still exits 0. Found by the hostile input campaign
// (docs/reliability.md): commander's own "error: unknown option" came without a code.
describe('nilecare with a command line it cannot read', () => {
  // Each is a process of its own: on a loaded machine a few seconds each.
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['devices', 'add'], "missing required argument 'deviceId'"],
    [['backup', '--to'], "option '--to <dir>' argument missing"],
    [[], 'a command is needed'],
  ])(
    'nilecare %j prints GW_ERR_CLI_USAGE naming the problem and exits 1',
    async (args, problem) => {
      const result = await runNilecare(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`GW_ERR_CLI_USAGE: Command line not understood: ${problem}`);
      expect(result.stderr).toContain('See docs/errors.md#gw_err_cli_usage');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  it('nilecare --help and nilecare help print the usage and exit 0', async () => {
    for (const args of [['--help'], ['help'], ['verify', '--help']]) {
      const result = await runNilecare(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(`${result.stdout}${result.stderr}`).not.toContain('GW_ERR_');
    }
  }, 90_000);
});
