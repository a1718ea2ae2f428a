import type { Command } from 'commander';
import { Option } from 'commander';
import { processIsAlive, removeAbandonedPartials } from '../backup/backupFiles.ts';
import { backupDatabase } from '../backup/onlineBackup.ts';
import { restoreBackup } from '../backup/restoreBackup.ts';
import { dataPaths } from '../openGatewayStore.ts';
import { type CommonFlags, dataDirOption, openForCommand, optionsFrom } from './cliOptions.ts';

/** `nilecare backup`: one online backup now, beside a running gateway (SQLite's backup API under WAL). */
export async function backupCommand(flags: CommonFlags & { to?: string }): Promise<void> {
  const options = optionsFrom({
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.to ? { backupDir: flags.to } : {}),
  });
  const services = openForCommand(flags, true);
  // Stopped by Ctrl-C or SIGTERM: the unfinished copy goes before the process does (docs/operations.md#backups).
  const stopped = (signal: NodeJS.Signals) => {
    removeAbandonedPartials(options.backupDir, {
      isAlive: (pid) => pid !== process.pid && processIsAlive(pid),
    });
    process.kill(process.pid, signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, stopped);
  try {
    const result = await backupDatabase(services.db, {
      dir: options.backupDir,
      keep: options.backupKeep,
      clock: () => new Date(),
    });
    console.log(`backed up ${result.events} events (chain verified, head ${result.headHash})`);
    console.log(`  ${result.file}  ${result.bytes} bytes  sha256 ${result.sha256}`);
    if (result.pruned.length > 0)
      console.log(`  removed ${result.pruned.length} older backup(s) beyond ${options.backupKeep}`);
  } finally {
    for (const signal of signals) process.off(signal, stopped);
    services.db.close();
  }
}

/** `nilecare restore <file>`: verify a backup's chain, then put it in place of the (stopped) gateway's database. */
export async function restoreCommand(file: string, flags: CommonFlags & { force?: boolean }): Promise<void> {
  const options = optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {});
  const result = restoreBackup({
    file,
    databasePath: dataPaths(options.dataDir).database,
    dataDir: options.dataDir,
    force: flags.force === true,
    clock: () => new Date(),
  });
  if (result.movedAside) console.log(`moved the database that was there to ${result.movedAside}`);
  console.log(`restored ${result.events} events from ${file} (chain verified, head ${result.headHash})`);
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description("back the database up now (online: the gateway may keep running); verifies the copy's chain")
    .addOption(dataDirOption())
    .addOption(
      new Option('--to <dir>', 'backup folder (default <data dir>/backups)').env('NILECARE_BACKUP_DIR'),
    )
    .action(backupCommand);
  program
    .command('restore <file>')
    .description("verify a backup's hash chain and restore it as the gateway's database (gateway stopped)")
    .addOption(dataDirOption())
    .option('--force', 'move an existing database aside (nothing is deleted) and restore over it')
    .action(restoreCommand);
}
