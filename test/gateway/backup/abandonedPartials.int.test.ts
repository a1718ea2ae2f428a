import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAbandonedPartials } from '../../../gateway/backup/backupFiles.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

describe('unfinished backup copies in a real folder', () => {
  it('is deleted when its process is gone, kept while it runs or when it is the caller’s own', () => {
    const dir = tempDataDir('nilecare-partials-');
    try {
      const names = [
        'gateway-2026-11-20T02-15-00-000Z.db.partial-11',
        'gateway-2026-11-20T02-15-00-000Z.db.partial-11-wal',
        'gateway-2026-11-21T02-15-00-000Z.db.partial-22',
        'gateway-2026-11-22T02-15-00-000Z.db.partial-33',
        'gateway-2026-11-19T02-15-00-000Z.db',
      ];
      for (const name of names) writeFileSync(join(dir.path, name), '');
      const removed = removeAbandonedPartials(dir.path, { keepPid: 33, isAlive: (pid) => pid === 22 });
      expect(removed.sort()).toEqual(names.slice(0, 2));
      expect(readdirSync(dir.path).sort()).toEqual(names.slice(2).sort());
    } finally {
      dir.remove();
    }
  });
});
