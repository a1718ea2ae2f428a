import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
  writeFileSync(`${path}.tmp`, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return identity;
}
