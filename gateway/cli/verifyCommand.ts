import type { Command } from 'commander';
import { verifyChain } from '../eventStore/verifyChain.ts';
import { type CommonFlags, dataDirOption, openForCommand } from './cliOptions.ts';

/** `nilecare verify`: exit 0 when the chain holds, 2 when a link is broken or missing. */
export async function verifyCommand(flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    const verdict = verifyChain(services.db);
    if (verdict.ok) {
      console.log(`chain ok: ${verdict.events} events, head ${verdict.headHash}`);
      return;
    }
    const { problem } = verdict;
    console.error(
      `GW_ERR_CHAIN_BROKEN: chain broken at seq ${problem.seq} (${problem.kind}): ${problem.detail}`,
    );
    console.error(`${verdict.events} events before it verified. See docs/errors.md#gw_err_chain_broken`);
    process.exitCode = 2;
  } finally {
    services.db.close();
  }
}

/** `nilecare verify`: walk the log's hash chain. */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description("walk the event log's hash chain and name the first broken or missing link")
    .addOption(dataDirOption())
    .action(verifyCommand);
}
