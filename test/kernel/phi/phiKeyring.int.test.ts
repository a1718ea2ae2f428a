import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptField, encryptField } from '../../../kernel/phi/fieldCipher.ts';
import { loadOrCreatePhiKeyring } from '../../../kernel/phi/phiKeyring.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let path: string;
const clock = () => new Date('2025-03-14T08:00:00.000Z');

beforeEach(() => {
  dir = tempDataDir();
  path = join(dir.path, 'keys', 'phi-keys.json');
});

afterEach(() => {
  dir.remove();
});

describe('the PHI key file on first start', () => {
  it('is created readable by its owner only (0600), in a folder closed to others (0700)', () => {
    loadOrCreatePhiKeyring(path, clock);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, 'keys')).mode & 0o777).toBe(0o700);
  });

  it('holds one active 32-byte key whose id says when it was made', () => {
    const keyring = loadOrCreatePhiKeyring(path, clock);
    expect([...keyring.keys.keys()]).toEqual([keyring.activeKeyId]);
    expect(keyring.activeKeyId).toMatch(/^k20250314[0-9a-f]{4}$/);
    expect(keyring.keys.get(keyring.activeKeyId)).toHaveLength(32);
  });
});

describe('the PHI key file on the next start', () => {
  it('is reused: the same key decrypts what the first start encrypted', () => {
    const first = loadOrCreatePhiKeyring(path, clock);
    const sealed = encryptField('ABC123456789', 'sudanNationalId', first);
    const fileBefore = readFileSync(path, 'utf8');
    const second = loadOrCreatePhiKeyring(path, () => new Date('2026-01-01T00:00:00.000Z'));
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(decryptField(sealed, 'sudanNationalId', second)).toBe('ABC123456789');
    expect(readFileSync(path, 'utf8')).toBe(fileBefore);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('is refused with GW_ERR_PHI_KEY when it is not readable JSON', () => {
    loadOrCreatePhiKeyring(path, clock);
    writeFileSync(path, '{ truncated');
    expect(() => loadOrCreatePhiKeyring(path, clock)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PHI_KEY' }),
    );
  });

  it('is refused with GW_ERR_PHI_KEY when a key is not 32 bytes', () => {
    const file = {
      version: 1,
      activeKeyId: 'kshort',
      keys: [{ id: 'kshort', createdAt: clock().toISOString(), key: Buffer.alloc(16).toString('base64') }],
    };
    loadOrCreatePhiKeyring(path, clock);
    writeFileSync(path, JSON.stringify(file));
    expect(() => loadOrCreatePhiKeyring(path, clock)).toThrow(/kshort.*not 32 bytes/);
  });
});
