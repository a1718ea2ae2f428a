import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of input refused while the data disk is short of space: one area of
 * docs/errors.md (#disk-space-gateway), which gateway/errors.ts composes with the
 * others.
 */
export const diskSpaceErrors = {
  title: 'Disk space (gateway)',
  intro: [
    "When the data folder's disk runs short the gateway refuses low-priority input before it could",
    'ever lose clinical data ([operations.md](operations.md#when-the-disk-fills)).',
  ],
  codes: {
    GW_ERR_DISK_LOW: {
      status: 507,
      message: 'Disk space is %s (%s bytes free): %s input refused for now; send it again later',
      meaning: 'the disk is low: this kind of input is refused for now',
      solve: 'send it again later; free disk space or bring the hub link up',
      readable:
        '`Disk space is <low|critical> (<bytes> bytes free): <lane> (<event type>) input refused for now; send it again later`',
      explanation: [
        "Free space on the gateway's data disk is below `NILECARE_STORAGE_LOW_WATER_BYTES` (`low`:",
        'telemetry that raises no alert is refused) or `NILECARE_STORAGE_CRITICAL_BYTES` (`critical`: only',
        'alerts, acknowledgements and clinician actions are taken). `details` carries `state`, `lane`,',
        '`eventType` and `freeBytes`. Nothing already stored is touched, and the refused input is not',
        'quarantined (its sender still holds it). A device sees no PUBACK and a closed connection, and',
        'sends the reading again after reconnecting; an HTTP client gets 507. Counted in',
        '`nilecare_storage_refused_inputs_total{lane,channel}` and',
        '`events_failed_total{reason="GW_ERR_DISK_LOW"}`; the log says so once, when the state changes.',
        '',
        '**How to solve:** as a client, send it again later, or have a person record it (an action that',
        'names its user is always taken). At the clinic: look at `GET /health` → `storage`; connect the',
        'gateway to the hub (events the hub acknowledged are pruned by themselves to make room), move',
        'old backups and logs off the disk, or give the data folder a larger disk. The gateway takes',
        'everything again once free space is above the mark plus `NILECARE_STORAGE_RECOVER_MARGIN_BYTES`.',
      ],
    },
    GW_ERR_DISK_WRITE_FAILED: {
      status: 503,
      message: 'The gateway could not write to its disk (%s): nothing was recorded; send it again',
      meaning: 'the disk failed the write or sync of a commit: the input was not recorded',
      solve: 'send it again; if it keeps failing, look at the disk (free space, kernel log)',
      readable:
        '`The gateway could not write to its disk (<SQLite code>): nothing was recorded; send it again`',
      explanation: [
        'Writing or syncing the event log failed in the middle of the commit (the disk is full to',
        'the last block, or reports an I/O error). SQLite rolled the transaction back: nothing of',
        'the request was recorded, and no device or client was told otherwise. `details.sqliteCode`',
        'names the error (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, `SQLITE_IOERR_FSYNC`...). The gateway',
        'keeps running and the next commit is tried afresh ([reliability.md](reliability.md#disk-campaign)).',
        '',
        '**How to solve:** as a client, send the same request again (a nurse records the action again).',
        "At the clinic: look at `GET /health` → `storage` and the kernel's log (`dmesg`) for disk",
        'errors; free disk space, and replace a disk that reports I/O errors (restore the last backup',
        'onto the new one: [operations.md](operations.md)).',
      ],
    },
  },
} satisfies ErrorArea;
