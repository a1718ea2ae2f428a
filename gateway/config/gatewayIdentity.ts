import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../../kernel/files/durableFile.ts';
import { dirname } from 'node:path';
import type { IdSource } from '../../kernel/events/ids.ts';

/** Who this gateway is: the identity every event it records carries. */
export interface GatewayIdentity {
  gatewayId: string;
  facilityId: string;
  tenantId: string;
  sudanState?: string;
  createdAt: string;
}

/**
 * Reads the gateway's identity, or creates one on first start for
 * development (`nilecare provision` writes the real one in the field). The
 * gateway id never changes once events carry it.
 */
export function loadOrCreateIdentity(
  path: string,
  defaults: Omit<GatewayIdentity, 'gatewayId' | 'createdAt'>,
  newId: IdSource,
  clock: () => Date,
): GatewayIdentity {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as GatewayIdentity;
  const identity: GatewayIdentity = {
    gatewayId: `gw-${newId()}`,
    ...defaults,
    createdAt: clock().toISOString(),
  };
  mkdirSync(dirname(path), { recursive: true });
  // Durably: an identity lost to a power cut after its first events would orphan them.
  writeFileDurably(path, `${JSON.stringify(identity, null, 2)}\n`);
  return identity;
}
