import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptField, decryptField } from '../../../gateway/phi/fieldCipher.ts';
import { testKeyring } from '../../../gateway/phi/phiKeyring.ts';
import { fhirId } from '../../../hub/services/fhir/fhirIds.ts';
import { dateRange } from '../../../hub/services/fhir/fhirSearch.ts';
import { loadHubPhiKeys } from '../../../hub/services/fhir/hubPhiKeys.ts';
import { identifierToken, indexEntries } from '../../../hub/services/fhir/searchIndex.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

describe('FHIR ids, dates and the search index', () => {
  it('keeps a domain id that is a FHIR id, and digests one that is not, stably', () => {
    expect(fhirId('enc-2024-000123')).toBe('enc-2024-000123');
    expect(fhirId('enc/2024 #1')).toMatch(/^h-[0-9a-f]{40}$/);
    expect(fhirId('enc/2024 #1')).toBe(fhirId('enc/2024 #1'));
    expect(fhirId('enc/2024 #1')).not.toBe(fhirId('enc/2024 #2'));
  });

  it('reads a FHIR date of any precision as the span it covers', () => {
    expect(dateRange('2024').map((d) => d.toISOString())).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ]);
    expect(dateRange('2024-12').map((d) => d.toISOString())).toEqual([
      '2024-12-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ]);
    expect(dateRange('2024-10-08').map((d) => d.toISOString())).toEqual([
      '2024-10-08T00:00:00.000Z',
      '2024-10-09T00:00:00.000Z',
    ]);
  });

  it('indexes identifiers as digests, never as the national ID itself', () => {
    const entries = indexEntries({
      resourceType: 'Patient',
      id: 'p-1',
      identifier: [{ system: 'urn:nilecare:sid:sudan-national-id', value: 'ABC123456789' }],
      name: [{ family: 'Osman', given: ['Amna'] }],
    });
    expect(JSON.stringify(entries)).not.toContain('ABC123456789');
    expect(entries).toContainEqual({ name: 'identifier', value: identifierToken('ABC123456789') });
    expect(entries).toContainEqual({ name: 'name', value: 'osman' });
  });
});

describe('the hub PHI key file', () => {
  it('gives each gateway its keyring, which decrypts what that gateway encrypted', () => {
    const dir = tempDataDir('nilecare-hubkeys-');
    try {
      const keyring = testKeyring('k1');
      const path = join(dir.path, 'keys.json');
      writeFileSync(
        path,
        JSON.stringify({
          version: 1,
          gateways: { 'gw-1': [{ id: 'k1', key: keyring.keys.get('k1')!.toString('base64') }] },
        }),
      );
      const keys = loadHubPhiKeys(path);
      const sealed = encryptField('ABC123456789', 'sudanNationalId', keyring);
      expect(decryptField(sealed, 'sudanNationalId', keys.keyringFor('gw-1')!)).toBe('ABC123456789');
      expect(keys.keyringFor('gw-2')).toBeUndefined();
      expect(loadHubPhiKeys(undefined).keyringFor('gw-1')).toBeUndefined();
      expect(loadHubPhiKeys(undefined).configured).toBe(false);
      expect(keys.configured).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('refuses a file it cannot use, with HUB_ERR_PHI_KEYS_FILE and never the key', () => {
    const dir = tempDataDir('nilecare-hubkeys-');
    try {
      const path = join(dir.path, 'keys.json');
      writeFileSync(
        path,
        JSON.stringify({ version: 1, gateways: { 'gw-1': [{ id: 'k1', key: 'c2hvcnQ=' }] } }),
      );
      expect(() => loadHubPhiKeys(path)).toThrow(expect.objectContaining({ code: 'HUB_ERR_PHI_KEYS_FILE' }));
      expect(() => loadHubPhiKeys(path)).toThrow(/not 32 bytes/);
      expect(() => loadHubPhiKeys(path)).not.toThrow(/c2hvcnQ/);
      writeFileSync(path, '{ not json');
      expect(() => loadHubPhiKeys(path)).toThrow(expect.objectContaining({ code: 'HUB_ERR_PHI_KEYS_FILE' }));
      expect(() => loadHubPhiKeys(join(dir.path, 'missing.json'))).toThrow(/cannot be used/);
    } finally {
      dir.remove();
    }
  });
});
