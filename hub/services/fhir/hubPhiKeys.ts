import { readFileSync } from 'node:fs';
import { compileSchema } from '../../../kernel/events/validateEvent.ts';
import type { PhiKeyring } from '../../../kernel/phi/phiKeyring.ts';
import { HubError } from '../../errors.ts';

/**
 * The gateways' PHI data keys the hub holds, by gateway id, so the FHIR
 * service can put a national ID into the Patient identifier. Provisioning
 * writes the file (NILECARE_HUB_PHI_KEYS); "*" holds keys for
 * events of no gateway (hub services).
 */
export interface HubPhiKeys {
  /** False when the hub has no key file: national IDs stay out of FHIR rather than failing each patient. */
  configured: boolean;
  keyringFor(gatewayId: string | undefined): PhiKeyring | undefined;
  /**
   * Every keyring holding a key of this id: a stored national ID is opened by
   * its ciphertext's key id, as the Patient does not record its gateway.
   */
  keyringsWith(keyId: string): PhiKeyring[];
}

interface KeyFile {
  version: 1;
  gateways: Record<string, { id: string; key: string }[]>;
}

const validateFile = compileSchema<KeyFile>({
  type: 'object',
  required: ['version', 'gateways'],
  properties: {
    version: { const: 1 },
    gateways: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['id', 'key'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 32 }, key: { type: 'string' } },
        },
      },
    },
  },
});

export const noHubPhiKeys: HubPhiKeys = {
  configured: false,
  keyringFor: () => undefined,
  keyringsWith: () => [],
};

export function loadHubPhiKeys(path: string | undefined): HubPhiKeys {
  if (!path) return noHubPhiKeys;
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HubError('HUB_ERR_PHI_KEYS_FILE', [path, (error as Error).message]);
  }
  if (!validateFile(file))
    throw new HubError('HUB_ERR_PHI_KEYS_FILE', [
      path,
      `${validateFile.errors?.[0]?.instancePath || '/'} ${validateFile.errors?.[0]?.message ?? 'invalid'}`,
    ]);
  const keyrings = new Map<string, PhiKeyring>();
  for (const [gatewayId, entries] of Object.entries(file.gateways)) {
    const keys = new Map<string, Buffer>();
    for (const entry of entries) {
      const key = Buffer.from(entry.key, 'base64');
      if (key.length !== 32)
        throw new HubError('HUB_ERR_PHI_KEYS_FILE', [
          path,
          `key ${entry.id} of ${gatewayId} is not 32 bytes`,
        ]);
      keys.set(entry.id, key);
    }
    keyrings.set(gatewayId, { activeKeyId: entries[0]!.id, keys });
  }
  return {
    configured: true,
    keyringFor: (gatewayId) => keyrings.get(gatewayId ?? '*') ?? keyrings.get('*'),
    keyringsWith: (keyId) => [...keyrings.values()].filter((keyring) => keyring.keys.has(keyId)),
  };
}
