import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProvisionedConfig, provisionedPaths } from './gatewayConfig.ts';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** The gateway's local CA: what clients trust, and what signs device certificates. */
  ca: Buffer;
}

/** The gateway's certificate, key and CA as `nilecare provision` wrote them. */
export function tlsMaterialOf(dataDir: string, config: ProvisionedConfig): TlsMaterial {
  const dir = provisionedPaths(dataDir).dir;
  return {
    key: readFileSync(join(dir, config.tls.key)),
    cert: readFileSync(join(dir, config.tls.cert)),
    ca: readFileSync(join(dir, config.tls.ca)),
  };
}
