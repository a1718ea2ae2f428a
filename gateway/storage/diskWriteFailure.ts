/**
 * Whether an error is SQLite's report that the disk failed a write or a sync
 * of a commit (SQLITE_FULL, SQLITE_IOERR and its extended codes): the
 * transaction was rolled back and nothing of it recorded
 * (docs/reliability.md#disk-campaign). Returns the SQLite code, or undefined
 * for any other error.
 */
export function diskWriteFailure(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')
    ? code
    : undefined;
}
