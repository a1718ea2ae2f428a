import { describe, expect, it } from 'vitest';
import { diskWriteFailure } from '../../../gateway/storage/diskWriteFailure.ts';

const sqliteError = (code: string) => Object.assign(new Error('disk I/O error'), { code });

describe('a commit the disk failed is told from other errors', () => {
  it('names a full disk and every I/O error of a write or a sync', () => {
    expect(diskWriteFailure(sqliteError('SQLITE_FULL'))).toBe('SQLITE_FULL');
    expect(diskWriteFailure(sqliteError('SQLITE_IOERR'))).toBe('SQLITE_IOERR');
    expect(diskWriteFailure(sqliteError('SQLITE_IOERR_WRITE'))).toBe('SQLITE_IOERR_WRITE');
    expect(diskWriteFailure(sqliteError('SQLITE_IOERR_FSYNC'))).toBe('SQLITE_IOERR_FSYNC');
  });

  it('leaves every other error to the handlers that know it', () => {
    expect(diskWriteFailure(sqliteError('SQLITE_CONSTRAINT_TRIGGER'))).toBeUndefined();
    expect(diskWriteFailure(sqliteError('GW_ERR_DISK_LOW'))).toBeUndefined();
    expect(diskWriteFailure(new Error('plain'))).toBeUndefined();
    expect(diskWriteFailure(undefined)).toBeUndefined();
  });
});
