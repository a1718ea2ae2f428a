import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../errors.ts';
import { compileSchema } from '../../kernel/events/validateEvent.ts';
import type { KekSpec } from './keyEncryptionKey.ts';

/**
 * The one configuration file `nilecare provision` writes:
 * `<dataDir>/provisioned/nilecare.json`, beside `provisioned/tls/`. Paths in it
 * are relative to the `provisioned` folder. PHI data keys and the hub password
 * are stored wrapped by the key-encryption key, never in plain text.
 */
export interface ProvisionedConfig {
  version: 1;
  provisionedAt: string;
  identity: { gatewayId: string; facilityId: string; tenantId: string; sudanState?: string };
  phiKeys: {
    kek: KekSpec;
    activeKeyId: string;
    keys: { id: string; createdAt: string; wrapped?: string; retiredAt?: string }[];
  };
  tls: {
    ca: string;
    caKey: string;
    cert: string;
    key: string;
    names: string[];
    addresses: string[];
    httpsPort: number;
    mqttsPort: number;
  };
  hub?: {
    brokers: string[];
    sasl: { mechanism: 'scram-sha-512' | 'scram-sha-256'; username: string; passwordWrapped: string };
    ca?: string;
  };
}

export const provisionedDirName = 'provisioned';

export function provisionedPaths(dataDir: string) {
  const dir = join(dataDir, provisionedDirName);
  return { dir, config: join(dir, 'nilecare.json'), tls: join(dir, 'tls') };
}

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' };
const relativePath = { type: 'string', pattern: '^(?!/)(?!.*\\.\\.)[A-Za-z0-9._/-]+$' };
const port = { type: 'integer', minimum: 1, maximum: 65535 };

export const provisionedConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'provisionedAt', 'identity', 'phiKeys', 'tls'],
  properties: {
    version: { const: 1 },
    provisionedAt: { type: 'string', format: 'date-time' },
    identity: {
      type: 'object',
      additionalProperties: false,
      required: ['gatewayId', 'facilityId', 'tenantId'],
      properties: {
        gatewayId: id,
        facilityId: id,
        tenantId: id,
        sudanState: { type: 'string', minLength: 1, maxLength: 64 },
      },
    },
    phiKeys: {
      type: 'object',
      additionalProperties: false,
      required: ['kek', 'activeKeyId', 'keys'],
      properties: {
        kek: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'salt', 'N', 'r', 'p'],
              properties: {
                kind: { const: 'passphrase' },
                salt: { type: 'string', minLength: 16 },
                N: { type: 'integer', minimum: 16384 },
                r: { type: 'integer', minimum: 1 },
                p: { type: 'integer', minimum: 1 },
              },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'fingerprint'],
              properties: {
                kind: { const: 'file' },
                fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' },
              },
            },
          ],
        },
        activeKeyId: id,
        keys: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'createdAt'],
            // A key in use has its wrapped material; a retired one keeps only its id and dates.
            oneOf: [{ required: ['wrapped'] }, { required: ['retiredAt'], not: { required: ['wrapped'] } }],
            properties: {
              id,
              createdAt: { type: 'string', format: 'date-time' },
              wrapped: { type: 'string', minLength: 40 },
              retiredAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['ca', 'caKey', 'cert', 'key', 'names', 'addresses', 'httpsPort', 'mqttsPort'],
      properties: {
        ca: relativePath,
        caKey: relativePath,
        cert: relativePath,
        key: relativePath,
        names: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 } },
        addresses: { type: 'array', items: { type: 'string', minLength: 2, maxLength: 45 } },
        httpsPort: port,
        mqttsPort: port,
      },
    },
    hub: {
      type: 'object',
      additionalProperties: false,
      required: ['brokers', 'sasl'],
      properties: {
        brokers: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^[A-Za-z0-9._\\[\\]:-]+:[0-9]{1,5}$' },
        },
        sasl: {
          type: 'object',
          additionalProperties: false,
          required: ['mechanism', 'username', 'passwordWrapped'],
          properties: {
            mechanism: { enum: ['scram-sha-512', 'scram-sha-256'] },
            username: { type: 'string', minLength: 1, maxLength: 200 },
            passwordWrapped: { type: 'string', minLength: 20 },
          },
        },
        ca: relativePath,
      },
    },
  },
} as const;

const validateConfig = compileSchema<ProvisionedConfig>(provisionedConfigSchema);

/** Checks a configuration object against the schema; the first problem is named in the error. */
export function checkProvisionedConfig(config: unknown, where: string): ProvisionedConfig {
  if (!validateConfig(config)) {
    const error = validateConfig.errors?.[0];
    throw new GatewayError('GW_ERR_PROVISION_INVALID', [
      `${where}${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`,
    ]);
  }
  return config;
}

/** The provisioned configuration of a data folder, or undefined for a development (unprovisioned) one. */
export function loadProvisionedConfig(dataDir: string): ProvisionedConfig | undefined {
  const { config } = provisionedPaths(dataDir);
  if (!existsSync(config)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(config, 'utf8'));
  } catch (error) {
    throw new GatewayError('GW_ERR_PROVISION_INVALID', [
      `${config} is unreadable: ${(error as Error).message}`,
    ]);
  }
  return checkProvisionedConfig(parsed, config);
}
