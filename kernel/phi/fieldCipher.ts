import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PhiKeyError } from './phiErrors.ts';
import type { PhiKeyring } from './phiKeyring.ts';

const PREFIX = 'enc:v1:';

/**
 * Field-by-field encryption of PHI (docs/architecture.md#guarantee-8): AES-256-GCM with a
 * random 96-bit IV, the key id stored with the ciphertext, and the field name
 * as additional data so a ciphertext cannot be moved to another field.
 * Format: `enc:v1:<keyId>:<iv>:<ciphertext+tag>`, base64url parts.
 */
export function encryptField(plaintext: string, field: string, keyring: PhiKeyring): string {
  const key = keyring.keys.get(keyring.activeKeyId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(field, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keyring.activeKeyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

export function isEncryptedField(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export function decryptField(value: string, field: string, keyring: PhiKeyring): string {
  const [keyId, ivText, sealedText] = value.slice(PREFIX.length).split(':');
  if (!isEncryptedField(value) || !keyId || !ivText || !sealedText) {
    throw new PhiKeyError('GW_ERR_PHI_KEY', [`field ${field} is not an encrypted value`]);
  }
  const key = keyring.keys.get(keyId);
  if (!key)
    throw new PhiKeyError('GW_ERR_PHI_KEY', [`key ${keyId} for field ${field} is not in the keyring`]);
  const sealed = Buffer.from(sealedText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(field, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new PhiKeyError('GW_ERR_PHI_KEY', [
      `field ${field} failed authentication: wrong key or altered ciphertext`,
    ]);
  }
}

/** Encrypts the listed top-level string fields of `data` (and of `data.changes`, for updates). */
export function encryptPhiFields<T extends Record<string, unknown>>(
  data: T,
  fields: readonly string[],
  keyring: PhiKeyring,
): T {
  return mapPhiFields(data, fields, (value, field) =>
    isEncryptedField(value) ? value : encryptField(value, field, keyring),
  );
}

/**
 * A copy of `data` with each listed top-level string field (and the same
 * fields inside `data.changes`, where patient updates carry them) replaced.
 */
export function mapPhiFields<T extends Record<string, unknown>>(
  data: T,
  fields: readonly string[],
  replace: (value: string, field: string) => string,
): T {
  const out: Record<string, unknown> = { ...data };
  for (const field of fields) {
    const value = out[field];
    if (typeof value === 'string') out[field] = replace(value, field);
  }
  const changes = out.changes;
  if (changes && typeof changes === 'object' && !Array.isArray(changes)) {
    out.changes = mapPhiFields(changes as Record<string, unknown>, fields, replace);
  }
  return out as T;
}

/** Masks an identifier for display: all but the last four characters hidden. */
export function maskIdentifier(plaintext: string): string {
  const visible = plaintext.slice(-4);
  return `${'•'.repeat(Math.max(plaintext.length - 4, 2))}${visible}`;
}
