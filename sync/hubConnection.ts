import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncKafkaSecurity } from './kafkaClient.ts';
import {
  type ProvisionedConfig,
  provisionedPaths,
  deriveKek,
  type KekSource,
  unwrapSecret,
} from '../gateway/pluginApi.ts';

/** Where and how a provisioned gateway reaches the hub's Kafka. */
export interface HubConnection {
  brokers: string[];
  security: SyncKafkaSecurity;
}

/** Where the gateway's log goes and the hub's messages come from; no `security`: PLAINTEXT. */
export interface HubLink {
  brokers: string[];
  security?: SyncKafkaSecurity;
}

/**
 * The one decision of where the gateway syncs to, for the sync engine and
 * the downstream consumer alike: brokers named by NILECARE_KAFKA_BROKERS (or
 * kafkaBrokers in the config file), over PLAINTEXT; else the hub a
 * provisioned gateway was given, over SASL_SSL (docs/sync.md); else none,
 * and the log waits for a hub.
 */
export function hubLinkOf(
  dataDir: string,
  config: ProvisionedConfig | undefined,
  kafkaBrokers: string[],
  kekSource: KekSource | undefined,
): HubLink | undefined {
  if (kafkaBrokers.length > 0) return { brokers: kafkaBrokers };
  return hubConnectionOf(dataDir, config, kafkaBrokers, kekSource);
}

/**
 * The hub connection `nilecare provision` stored, with the SCRAM password
 * unwrapped by the KEK (held only in memory) and the hub's CA read from
 * `provisioned/`. Undefined when the gateway was provisioned without a hub,
 * or when NILECARE_KAFKA_BROKERS (or kafkaBrokers in the config file) names
 * brokers: an explicit setting wins, as everywhere else in the options.
 */
export function hubConnectionOf(
  dataDir: string,
  config: ProvisionedConfig | undefined,
  kafkaBrokers: string[],
  kekSource: KekSource | undefined,
): HubConnection | undefined {
  const hub = config?.hub;
  if (!config || !hub || kafkaBrokers.length > 0) return undefined;
  const kek = deriveKek(config.phiKeys.kek, kekSource);
  const password = unwrapSecret(kek, hub.sasl.passwordWrapped, 'hub-password').toString('utf8');
  const ca = hub.ca ? [readFileSync(join(provisionedPaths(dataDir).dir, hub.ca), 'utf8')] : [];
  return {
    brokers: hub.brokers,
    security: { ca, sasl: { mechanism: hub.sasl.mechanism, username: hub.sasl.username, password } },
  };
}
