import type { Command } from 'commander';
import { renderSyncStatus } from '../../sync/statusReport.ts';
import { readSyncStatus } from '../../sync/syncStatus.ts';
import { type CommonFlags, dataDirOption, openForCommand } from './cliOptions.ts';

/** `nilecare sync status`: reads the database, so it works beside a running gateway (WAL). */
export async function syncStatusCommand(flags: CommonFlags & { json?: boolean }): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    const status = readSyncStatus(services.db, new Date());
    console.log(flags.json ? JSON.stringify(status, null, 2) : renderSyncStatus(status));
  } finally {
    services.db.close();
  }
}

/** `nilecare sync ...`: the store-and-forward engine's commands (status). */
export function registerSyncCommands(program: Command): void {
  const sync = program.command('sync').description('store-and-forward to the hub (Kafka)');
  sync
    .command('status')
    .description('connection, backlog per lane, oldest unsynced event, send rate, drain time, dead letters')
    .addOption(dataDirOption())
    .option('--json', 'print the status as JSON (what GET /api/v1/sync answers)')
    .action(syncStatusCommand);
}
