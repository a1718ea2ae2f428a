import { describe, expect, it } from 'vitest';
import type { ProvisionedConfig } from '../../gateway/provisioning/gatewayConfig.ts';
import { hubConnectionOf } from '../../sync/hubConnection.ts';
import { kafkaSecurityConfig } from '../../sync/kafkaClient.ts';

describe('kafkaSecurityConfig', () => {
  it('is empty (PLAINTEXT) without security', () => {
    expect(kafkaSecurityConfig(undefined)).toEqual({});
  });

  it('trusts only the hub CA and logs in with SCRAM', () => {
    const config = kafkaSecurityConfig({
      ca: ['-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n'],
      sasl: { mechanism: 'scram-sha-512', username: 'gw-1', password: 'p' },
    });
    expect(config.ssl).toEqual({
      ca: ['-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n'],
      rejectUnauthorized: true,
    });
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'gw-1', password: 'p' });
  });

  it('uses the system trust store when no CA was provisioned, keeping the mechanism', () => {
    const config = kafkaSecurityConfig({
      ca: [],
      sasl: { mechanism: 'scram-sha-256', username: 'gw-2', password: 'q' },
    });
    expect(config.ssl).toBe(true);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'gw-2', password: 'q' });
  });
});

describe('hubConnectionOf', () => {
  const hub = {
    brokers: ['hub.example.sd:9094'],
    sasl: { mechanism: 'scram-sha-512' as const, username: 'gw-1', passwordWrapped: 'not-unwrapped-here' },
  };
  const config = { hub } as unknown as ProvisionedConfig;

  it('is undefined for a gateway that is not provisioned or has no hub section', () => {
    expect(hubConnectionOf('/nowhere', undefined, [], undefined)).toBeUndefined();
    expect(hubConnectionOf('/nowhere', { ...config, hub: undefined }, [], undefined)).toBeUndefined();
  });

  it('leaves the hub alone when brokers are configured explicitly (NILECARE_KAFKA_BROKERS wins)', () => {
    // No KEK is given: the password is not even unwrapped.
    expect(hubConnectionOf('/nowhere', config, ['127.0.0.1:9092'], undefined)).toBeUndefined();
  });
});
