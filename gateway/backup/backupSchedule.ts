import cron from 'node-cron';
import type { Logger } from 'pino';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import type { BackupMetrics } from './backupMetrics.ts';
import { removeAbandonedPartials } from './backupFiles.ts';
import { backupDatabase } from './onlineBackup.ts';

export interface BackupScheduleOptions {
  db: SqliteDatabase;
  dir: string;
  keep: number;
  /** A cron expression (node-cron: five fields, or six with seconds first). */
  schedule: string;
  /** IANA time zone the schedule is read in. */
  timezone: string;
  clock: () => Date;
  logger: Logger;
  metrics: BackupMetrics;
}

/**
 * Backs the database up on a schedule (node-cron), one run at a time. A
 * failed backup is logged and counted (metric `nilecare_backup_failures_total`),
 * and the gateway keeps running: the next run tries again.
 */
export function startBackupSchedule(options: BackupScheduleOptions): { stop(): Promise<void> } {
  const { logger, metrics } = options;
  // Partial copies of a run the last gateway process did not finish (killed, power cut).
  const abandoned = removeAbandonedPartials(options.dir, { keepPid: process.pid });
  if (abandoned.length > 0) logger.warn({ removed: abandoned }, 'removed unfinished backup copies');
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      const result = await backupDatabase(options.db, options);
      metrics.lastSuccess.set(Math.floor(options.clock().getTime() / 1000));
      metrics.lastBytes.set(result.bytes);
      logger.info(
        { file: result.file, bytes: result.bytes, events: result.events, pruned: result.pruned.length },
        'database backed up',
      );
    } catch (error) {
      metrics.failures.inc();
      logger.error({ err: error }, 'database backup failed');
    }
  };
  const task = cron.schedule(
    options.schedule,
    () => {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
    { name: 'nilecare-backup', noOverlap: true, timezone: options.timezone },
  );
  return {
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
