import type { ProvisionedConfig } from './gatewayConfig.ts';
import type { ProvisionRequest } from './provision.ts';

/**
 * What a provisioning request would change in an existing configuration,
 * one line per setting, with no secret in it (pure; `hubPassword` unwraps the
 * stored password to compare).
 */
export function provisionDifferences(
  existing: ProvisionedConfig,
  request: ProvisionRequest,
  hubPassword: (wrapped: string) => string,
): string[] {
  const differences: string[] = [];
  const compare = (what: string, before: unknown, after: unknown) => {
    if (JSON.stringify(before) !== JSON.stringify(after))
      differences.push(`${what}: ${JSON.stringify(before) ?? 'none'} → ${JSON.stringify(after) ?? 'none'}`);
  };
  compare('facility', existing.identity.facilityId, request.facilityId);
  compare('tenant', existing.identity.tenantId, request.tenantId);
  compare('Sudan state', existing.identity.sudanState, request.sudanState);
  if (request.gatewayId) compare('gateway id', existing.identity.gatewayId, request.gatewayId);
  compare('certificate names', existing.tls.names, request.names);
  compare('certificate addresses', existing.tls.addresses, request.addresses);
  compare('HTTPS port', existing.tls.httpsPort, request.httpsPort);
  compare('MQTT TLS port', existing.tls.mqttsPort, request.mqttsPort);
  compare('hub brokers', existing.hub?.brokers, request.hub?.brokers);
  compare('hub user', existing.hub?.sasl.username, request.hub?.username);
  compare('hub SASL mechanism', existing.hub?.sasl.mechanism, request.hub?.mechanism);
  if (existing.hub && request.hub && hubPassword(existing.hub.sasl.passwordWrapped) !== request.hub.password)
    differences.push('hub password: (changed)');
  if (request.hub?.caFile && !existing.hub?.ca) differences.push('hub CA: none → given');
  return differences;
}
