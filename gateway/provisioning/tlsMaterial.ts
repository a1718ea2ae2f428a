import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProvisionedConfig, provisionedPaths } from './gatewayConfig.ts';

/**
 * How the gateway's HTTPS and MQTT-over-TLS listeners speak TLS
 * (docs/security.md#e1-transmission-security): 1.2 or later, and in 1.2 only
 * ECDHE key exchange with an AEAD cipher (AES-GCM, ChaCha20-Poly1305), so
 * every session has forward secrecy and no CBC suite is offered. TLS 1.3's
 * suites are all AEAD; they are listed, else Node would turn 1.3 off.
 */
export const serverTlsPolicy = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  honorCipherOrder: true,
} as const;

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
