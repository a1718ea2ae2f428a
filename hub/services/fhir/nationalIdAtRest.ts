import { decryptField, isEncryptedField } from '../../../kernel/phi/fieldCipher.ts';
import { systems } from './fhirIds.ts';
import type { FhirResource } from './fhirTypes.ts';
import type { HubPhiKeys } from './hubPhiKeys.ts';

/** The field name the gateway sealed the national ID under (AES-GCM additional data). */
export const nationalIdField = 'sudanNationalId';

/**
 * The national ID of a stored Patient identifier in clear, or undefined when
 * no hub key opens it (key missing from the hub PHI key file, or altered).
 * The stored value is the gateway's `enc:v1:<keyId>:…` ciphertext; the
 * Patient does not record its gateway, so every keyring holding that key id
 * is tried (AES-GCM refuses a wrong key).
 */
export function openNationalId(sealed: string, keys: HubPhiKeys): string | undefined {
  if (!isEncryptedField(sealed)) return undefined;
  const keyId = sealed.slice('enc:v1:'.length).split(':')[0] ?? '';
  for (const keyring of keys.keyringsWith(keyId)) {
    try {
      return decryptField(sealed, nationalIdField, keyring);
    } catch {
      // Another gateway's key of the same id: try the next.
    }
  }
  return undefined;
}

type Identifier = { system?: string; value?: string; [field: string]: unknown };

/**
 * FHIR's way of saying a value exists but is not given: the API serves the
 * national ID identifier without its value, and says why, when the hub
 * holds no key to open it. Valid R4 (an extension on the primitive `value`).
 */
export const undecryptableValue = {
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'error' }],
};

/**
 * A stored resource as the REST API serves it: a Patient's national ID
 * identifier opened into clear (the only decryption outside projection).
 * `nationalIdInClear` says whether the answer carries it, so the read is
 * written to phi_access_log. Other resources pass unchanged.
 */
export function servedResource(
  resource: FhirResource,
  keys: HubPhiKeys,
): { resource: FhirResource; nationalIdInClear: boolean } {
  if (resource.resourceType !== 'Patient' || !Array.isArray(resource.identifier))
    return { resource, nationalIdInClear: false };
  let nationalIdInClear = false;
  const identifier = (resource.identifier as Identifier[]).map((entry) => {
    if (entry.system !== systems.nationalId || typeof entry.value !== 'string') return entry;
    // A value in clear is a Patient stored before national IDs were kept sealed: served, and audited, as is.
    const clear = isEncryptedField(entry.value) ? openNationalId(entry.value, keys) : entry.value;
    const { value: _sealed, ...rest } = entry;
    if (clear === undefined) return { ...rest, _value: undecryptableValue };
    nationalIdInClear = true;
    return { ...rest, value: clear };
  });
  return { resource: { ...resource, identifier }, nationalIdInClear };
}
