import type { EventDraft } from '../../kernel/events/envelope.ts';
import { isEncryptedField, mapPhiFields } from '../../kernel/phi/fieldCipher.ts';

/**
 * The PHI key ids an event's encrypted fields were sealed with, sorted and
 * without repeats; read from the values themselves
 * (`enc:v1:<keyId>:<iv>:<ciphertext+tag>`), so the list can never disagree
 * with them.
 */
export function phiKeyIdsOf(data: Record<string, unknown>, fields: readonly string[]): string[] {
  const ids = new Set<string>();
  mapPhiFields(data, fields, (value) => {
    if (isEncryptedField(value)) {
      const keyId = value.split(':')[2];
      if (keyId) ids.add(keyId);
    }
    return value;
  });
  return [...ids].sort();
}

/**
 * The draft with `metadata.phiKeyIds` set when it carries encrypted fields
 * (docs/architecture.md#guarantee-8: the key id travels in the event metadata, so the hub can tell
 * which keys an event needs without parsing its data). Set before the append,
 * so it is part of the hashed event; events appended before it existed are
 * left as they are, and their chain stays valid.
 */
export function withPhiKeyIds(draft: EventDraft, fields: readonly string[]): EventDraft {
  const phiKeyIds = phiKeyIdsOf(draft.data, fields);
  if (phiKeyIds.length === 0) return draft;
  return { ...draft, metadata: { ...draft.metadata, phiKeyIds } };
}
