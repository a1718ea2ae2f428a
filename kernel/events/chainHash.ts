import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { ClinicalEvent } from './envelope.ts';

/** The hash before the first event of a gateway's log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The event without its own hash: what the hash covers. */
export function hashedBody(event: Omit<ClinicalEvent, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...body } = event;
  return canonicalJson(body);
}

/** SHA-256 over the previous hash (hex) and this event's canonical bytes (docs/architecture.md#the-event). */
export function chainHash(previousHash: string, canonicalBody: string): string {
  return createHash('sha256').update(previousHash, 'utf8').update(canonicalBody, 'utf8').digest('hex');
}
