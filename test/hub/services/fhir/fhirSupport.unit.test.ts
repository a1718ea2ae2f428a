import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptField, decryptField } from '../../../../kernel/phi/fieldCipher.ts';
import { testKeyring } from '../../../../kernel/phi/phiKeyring.ts';
import { fhirId } from '../../../../hub/services/fhir/fhirIds.ts';
import { dateRange } from '../../../../hub/services/fhir/fhirSearch.ts';
import { loadHubPhiKeys, noHubPhiKeys } from '../../../../hub/services/fhir/hubPhiKeys.ts';
import { openNationalId, servedResource } from '../../../../hub/services/fhir/nationalIdAtRest.ts';
import { identifierToken, indexEntries } from '../../../../hub/services/fhir/searchIndex.ts';
import { tempDataDir } from '../../../harness/tempDataDir.ts';
import { fhirSchemaErrors } from '../../../harness/fhirSchema.ts';

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

  it('indexes a sealed national ID by the digest of its plaintext, and not at all without it', () => {
    const sealed = encryptField('ABC123456789', 'sudanNationalId', testKeyring('k1'));
    const patient = {
      resourceType: 'Patient',
      id: 'p-1',
      identifier: [{ system: 'urn:nilecare:sid:sudan-national-id', value: sealed }],
    };
    const opened = indexEntries(patient, (value) => (value === sealed ? 'ABC123456789' : undefined));
    expect(opened).toContainEqual({ name: 'identifier', value: identifierToken('ABC123456789') });
    expect(opened).toContainEqual({
      name: 'identifier',
      value: identifierToken('urn:nilecare:sid:sudan-national-id|ABC123456789'),
    });
    expect(indexEntries(patient).filter((entry) => entry.name === 'identifier')).toEqual([]);
  });
});

describe('national IDs at rest and served', () => {
  const keyring = testKeyring('k1');
  const sealed = encryptField('ABC123456789', 'sudanNationalId', keyring);
  const patient = {
    resourceType: 'Patient',
    id: 'p-1',
    identifier: [
      { use: 'usual', system: 'urn:nilecare:sid:patient-id', value: 'p-1' },
      {
        use: 'official',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] },
        system: 'urn:nilecare:sid:sudan-national-id',
        value: sealed,
      },
    ],
  };
  const keysWithK1 = { configured: true, keyringFor: () => keyring, keyringsWith: () => [keyring] };

  it('opens the stored ciphertext with the key of its key id, and gives nothing without it', () => {
    expect(openNationalId(sealed, keysWithK1)).toBe('ABC123456789');
    expect(openNationalId(sealed, noHubPhiKeys)).toBeUndefined();
    // Another gateway's key that happens to share the key id.
    const wrong = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    expect(
      openNationalId(sealed, { configured: true, keyringFor: () => wrong, keyringsWith: () => [wrong] }),
    ).toBeUndefined();
  });

  it('serves the national ID in clear with the key, and says so', () => {
    const served = servedResource(patient, keysWithK1);
    expect(served.nationalIdInClear).toBe(true);
    expect(served.resource.identifier).toContainEqual(
      expect.objectContaining({ system: 'urn:nilecare:sid:sudan-national-id', value: 'ABC123456789' }),
    );
    expect(patient.identifier[1]?.value).toBe(sealed);
    expect(fhirSchemaErrors(served.resource)).toEqual([]);
  });

  it('serves the identifier without its value, with a data-absent-reason, when no key opens it', () => {
    const served = servedResource(patient, noHubPhiKeys);
    expect(served.nationalIdInClear).toBe(false);
    const identifier = (served.resource.identifier as Record<string, unknown>[])[1];
    expect(identifier).not.toHaveProperty('value');
    expect(identifier?._value).toEqual({
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'error' }],
    });
    expect(JSON.stringify(served.resource)).not.toContain(sealed);
    expect(fhirSchemaErrors(served.resource)).toEqual([]);
  });

  it('passes other resources and Patients without a national ID unchanged', () => {
    const plain = { resourceType: 'Patient', id: 'p-2', identifier: [patient.identifier[0]] };
    expect(servedResource(plain, keysWithK1)).toEqual({ resource: plain, nationalIdInClear: false });
    const device = { resourceType: 'Device', id: 'd-1' };
    expect(servedResource(device, keysWithK1).resource).toBe(device);
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
