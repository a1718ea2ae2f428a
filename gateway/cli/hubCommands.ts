import type { Command } from 'commander';
import { registerHubTopicCommands } from './hubTopicsCommand.ts';

/** `nilecare hub ...`: the central side's commands. */
export function registerHubCommands(program: Command): void {
  const hub = program.command('hub').description('the central hub: ingest guard and Kafka topics');
  registerHubTopicCommands(hub);
}
