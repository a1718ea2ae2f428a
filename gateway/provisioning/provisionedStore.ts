import type { GatewayIdentity } from '../config/gatewayIdentity.ts';
import type { PhiKeyring } from '../../kernel/phi/phiKeyring.ts';
import type { ProvisionedConfig } from './gatewayConfig.ts';
import { deriveKek, type KekSource, unwrapSecret } from './keyEncryptionKey.ts';

/** Where the operator's KEK comes from at start: NILECARE_KEK_PASSPHRASE or NILECARE_KEK_FILE. */
export function kekSourceFromEnvironment(env: NodeJS.ProcessEnv): KekSource | undefined {
  if (env.NILECARE_KEK_FILE) return { file: env.NILECARE_KEK_FILE };
  if (env.NILECARE_KEK_PASSPHRASE) return { passphrase: env.NILECARE_KEK_PASSPHRASE };
  return undefined;
}

export function identityOf(config: ProvisionedConfig): GatewayIdentity {
  return { ...config.identity, createdAt: config.provisionedAt };
}

/** The PHI data keys, unwrapped with the KEK (only in memory). */
export function keyringOf(config: ProvisionedConfig, source: KekSource | undefined): PhiKeyring {
  const kek = deriveKek(config.phiKeys.kek, source);
  const keys = new Map(
    config.phiKeys.keys.flatMap((key) =>
      key.wrapped ? [[key.id, unwrapSecret(kek, key.wrapped, key.id)] as const] : [],
    ),
  );
  return { activeKeyId: config.phiKeys.activeKeyId, keys };
}
