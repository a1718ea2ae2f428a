import type { Command } from 'commander';

/** `nilecare sync ...`: the store-and-forward engine's commands (status). */
export function registerSyncCommands(program: Command): void {
  void program;
}
