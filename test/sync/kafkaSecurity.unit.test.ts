import { describe, expect, it } from 'vitest';
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
