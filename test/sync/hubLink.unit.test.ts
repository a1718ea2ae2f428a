import { describe, expect, it } from 'vitest';
import type { ProvisionedConfig } from '../../gateway/provisioning/gatewayConfig.ts';
import { hubLinkOf } from '../../sync/hubConnection.ts';

describe('where the gateway syncs to', () => {
  const hub = {
    brokers: ['hub.example.sd:9094'],
    sasl: { mechanism: 'scram-sha-512' as const, username: 'gw-1', passwordWrapped: 'not-unwrapped-here' },
  };
  const provisioned = { hub } as unknown as ProvisionedConfig;

  it('is the brokers named in the options, over PLAINTEXT, even for a provisioned gateway', () => {
    // No KEK is given: the provisioned hub password is not even unwrapped.
    expect(hubLinkOf('/nowhere', provisioned, ['127.0.0.1:9092'], undefined)).toEqual({
      brokers: ['127.0.0.1:9092'],
    });
    expect(hubLinkOf('/nowhere', undefined, ['127.0.0.1:9092'], undefined)).toEqual({
      brokers: ['127.0.0.1:9092'],
    });
  });

  it('is nowhere for a gateway with no brokers that is not provisioned or has no hub section', () => {
    expect(hubLinkOf('/nowhere', undefined, [], undefined)).toBeUndefined();
    expect(hubLinkOf('/nowhere', { ...provisioned, hub: undefined }, [], undefined)).toBeUndefined();
  });
});
