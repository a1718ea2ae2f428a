import { describe, expect, it } from 'vitest';
import {
  backupFileName,
  backupsBeyondRetention,
  partialFileName,
  partialOwner,
} from '../../../gateway/backup/backupFiles.ts';

describe('backup file names and retention', () => {
  it('names a backup by its UTC time so that names sort by age', () => {
    const earlier = backupFileName(new Date('2026-03-01T02:15:00.000Z'));
    const later = backupFileName(new Date('2026-11-26T02:15:00.123Z'));
    expect(earlier).toBe('gateway-2026-03-01T02-15-00-000Z.db');
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });

  it('deletes the oldest beyond the number to keep, and nothing when within it', () => {
    const files = ['a', 'b', 'c', 'd'];
    expect(backupsBeyondRetention(files, 2)).toEqual(['a', 'b']);
    expect(backupsBeyondRetention(files, 4)).toEqual([]);
    expect(backupsBeyondRetention(files, 10)).toEqual([]);
  });
});

describe('an unfinished backup copy', () => {
  it('names the process writing it, and SQLite’s files beside it belong to it', () => {
    expect(partialFileName('/b/gateway-2026-11-20T02-15-00-000Z.db', 4242)).toBe(
      '/b/gateway-2026-11-20T02-15-00-000Z.db.partial-4242',
    );
    expect(partialOwner('gateway-2026-11-20T02-15-00-000Z.db.partial-4242')).toBe(4242);
    expect(partialOwner('gateway-2026-11-20T02-15-00-000Z.db.partial-4242-wal')).toBe(4242);
    expect(partialOwner('gateway-2026-11-20T02-15-00-000Z.db.partial-shm')).toBeNull();
    expect(partialOwner('gateway-2026-11-20T02-15-00-000Z.db')).toBeUndefined();
  });
});
