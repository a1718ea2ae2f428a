import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors.ts';

/**
 * How the key-encryption key (KEK) that wraps the PHI data keys is obtained:
 * derived from a passphrase with scrypt (memory-hard), or read from a key
 * file the hub issues (32 random bytes, base64). The KEK itself is never stored
 * in the data folder.
 */
export type KekSpec =
  | { kind: 'passphrase'; salt: string; N: number; r: number; p: number }
  | { kind: 'file'; fingerprint: string };

/** What the operator hands over at provisioning and at every start. */
export type KekSource = { passphrase: string } | { file: string };

const scryptCost = { N: 2 ** 15, r: 8, p: 1 }; // 32 MiB, about 0.1 s on a mini-PC

export function newKekSpec(source: KekSource): { spec: KekSpec; kek: Buffer } {
  if ('passphrase' in source) {
    if (source.passphrase.length < 12)
      throw new GatewayError('GW_ERR_PROVISION_INVALID', [
        'the KEK passphrase must be at least 12 characters',
      ]);
    const spec: KekSpec = { kind: 'passphrase', salt: randomBytes(16).toString('base64'), ...scryptCost };
    return { spec, kek: deriveKek(spec, source) };
  }
  const kek = readKekFile(source.file);
  return { spec: { kind: 'file', fingerprint: fingerprintOf(kek) }, kek };
}

/** The KEK for an existing spec, from the operator's passphrase or key file. */
export function deriveKek(spec: KekSpec, source: KekSource | undefined): Buffer {
  if (!source)
    throw new GatewayError('GW_ERR_PHI_KEY', [
      spec.kind === 'passphrase'
        ? 'the PHI keys are wrapped by a passphrase: set NILECARE_KEK_PASSPHRASE'
        : 'the PHI keys are wrapped by a key file: set NILECARE_KEK_FILE',
    ]);
  if (spec.kind === 'passphrase') {
    if (!('passphrase' in source))
      throw new GatewayError('GW_ERR_PHI_KEY', ['the PHI keys are wrapped by a passphrase, not a key file']);
    return scryptSync(source.passphrase.normalize('NFC'), Buffer.from(spec.salt, 'base64'), 32, {
      N: spec.N,
      r: spec.r,
      p: spec.p,
      maxmem: 256 * spec.N * spec.r,
    });
  }
  if (!('file' in source))
    throw new GatewayError('GW_ERR_PHI_KEY', ['the PHI keys are wrapped by a key file, not a passphrase']);
  const kek = readKekFile(source.file);
  if (fingerprintOf(kek) !== spec.fingerprint)
    throw new GatewayError('GW_ERR_PHI_KEY', [
      `key file ${source.file} is not the one the keys were wrapped with`,
    ]);
  return kek;
}

function readKekFile(path: string): Buffer {
  let kek: Buffer;
  try {
    kek = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    throw new GatewayError('GW_ERR_PHI_KEY', [`KEK file ${path} is unreadable: ${(error as Error).message}`]);
  }
  if (kek.length !== 32)
    throw new GatewayError('GW_ERR_PHI_KEY', [`KEK file ${path} does not hold 32 bytes (base64)`]);
  return kek;
}

function fingerprintOf(kek: Buffer): string {
  // A KEK's fingerprint: which file it was, without revealing it (HMAC-like use of a fixed label).
  return createCipheriv('aes-256-ecb', kek, null).update(Buffer.alloc(16)).toString('hex');
}

/** AES-256-GCM wrap of a secret under the KEK; `label` (a key id, say) is bound as associated data. */
export function wrapSecret(kek: Buffer, secret: Buffer, label: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

export function unwrapSecret(kek: Buffer, wrapped: string, label: string): Buffer {
  const bytes = Buffer.from(wrapped, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  } catch {
    throw new GatewayError('GW_ERR_PHI_KEY', [`${label} cannot be unwrapped: wrong passphrase or key file`]);
  }
}
