import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileDurably } from '../files/durableFile.ts';
import { PhiKeyError } from './phiErrors.ts';

/** Data keys for PHI fields (AES-256-GCM, 32 bytes each), by key id. */
export interface PhiKeyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

interface KeyFile {
  version: 1;
  activeKeyId: string;
  keys: { id: string; createdAt: string; key: string }[];
}

/**
 * Loads the PHI key file, or makes one with a fresh key on first start (dev
 * keys are generated, never committed). Provisioning (`nilecare provision`)
 * replaces it with keys wrapped by a key-encryption key; rotation adds keys.
 */
export function loadOrCreatePhiKeyring(path: string, clock: () => Date = () => new Date()): PhiKeyring {
  if (!existsSync(path)) writeKeyFile(path, newKeyFile(clock()));
  let file: KeyFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch (error) {
    throw new PhiKeyError('GW_ERR_PHI_KEY', [`key file ${path} is unreadable: ${(error as Error).message}`]);
  }
  const keys = new Map(file.keys.map((entry) => [entry.id, Buffer.from(entry.key, 'base64')]));
  for (const [id, key] of keys) {
    if (key.length !== 32) throw new PhiKeyError('GW_ERR_PHI_KEY', [`key ${id} in ${path} is not 32 bytes`]);
  }
  if (!keys.has(file.activeKeyId))
    throw new PhiKeyError('GW_ERR_PHI_KEY', [`active key ${file.activeKeyId} is not in ${path}`]);
  return { activeKeyId: file.activeKeyId, keys };
}

function newKeyFile(now: Date): KeyFile {
  const id = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(2).toString('hex')}`;
  return {
    version: 1,
    activeKeyId: id,
    keys: [{ id, createdAt: now.toISOString(), key: randomBytes(32).toString('base64') }],
  };
}

/** Written durably (a power cut leaves the old file or the new, whole), readable by the owner only. */
function writeKeyFile(path: string, file: KeyFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileDurably(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** A keyring for unit tests: one fixed key. */
export function testKeyring(keyId = 'ktest'): PhiKeyring {
  return { activeKeyId: keyId, keys: new Map([[keyId, Buffer.alloc(32, 7)]]) };
}
