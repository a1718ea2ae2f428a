import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncError, type SyncErrorCode, syncErrorCodes } from '../../sync/syncErrors.ts';

const errorsDoc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(syncErrorCodes) as SyncErrorCode[];

describe('the sync error codes', () => {
  it('each have a "### SYNC_ERR_..." section in docs/errors.md with a "How to solve" paragraph', () => {
    const sections = errorsDoc.split(/^### /m).slice(1);
    for (const code of codes) {
      const section = sections.find((text) => text.startsWith(`${code}\n`));
      expect(section, code).toBeDefined();
      expect(section, code).toMatch(/\*\*How to solve[^*]*:\*\*/);
    }
    const documented = [...errorsDoc.matchAll(/^### (SYNC_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...codes].sort());
  });

  it('fill each %s in order', () => {
    for (const code of codes) {
      const args = syncErrorCodes[code].message
        .split('%s')
        .slice(1)
        .map((_, index) => `arg${index}`);
      const error = new SyncError(code, args);
      expect(error.message).not.toContain('%s');
      for (const arg of args) expect(error.message).toContain(arg);
      expect(error.statusCode).toBe(syncErrorCodes[code].status);
    }
  });
});
