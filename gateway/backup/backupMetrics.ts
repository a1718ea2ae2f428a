import { Counter, Gauge, type Registry } from 'prom-client';

export interface BackupMetrics {
  lastSuccess: Gauge;
  lastBytes: Gauge;
  failures: Counter;
}

/** Backup metrics, registered in the gateway's registry. */
export function createBackupMetrics(registry: Registry): BackupMetrics {
  return {
    lastSuccess: new Gauge({
      name: 'nilecare_backup_last_success_timestamp_seconds',
      help: 'When the last scheduled backup finished and verified (Unix time)',
      registers: [registry],
    }),
    lastBytes: new Gauge({
      name: 'nilecare_backup_last_size_bytes',
      help: 'Size of the last backup file',
      registers: [registry],
    }),
    failures: new Counter({
      name: 'nilecare_backup_failures_total',
      help: 'Scheduled backups that failed (disk full, unwritable folder, a copy that did not verify)',
      registers: [registry],
    }),
  };
}
