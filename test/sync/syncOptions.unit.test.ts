import { describe, expect, it } from 'vitest';
import { optionsFromEnvironment, resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { GatewayError } from '../../gateway/errors.ts';
import { syncEngineOptions } from '../../sync/syncSetup.ts';

function refusal(layer: Parameters<typeof resolveGatewayOptions>[0]): GatewayError {
  try {
    resolveGatewayOptions(layer);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('the sync options', () => {
  it('leave sync off by default: no brokers, no bandwidth limit, nothing ever pruned', () => {
    const options = resolveGatewayOptions();
    expect(options).toMatchObject({
      kafkaBrokers: [],
      syncTopicPrefix: '',
      syncBandwidthBytesPerSecond: 0,
      syncRetentionDays: 0,
      syncBatchMaxEvents: 500,
    });
  });

  it('come from NILECARE_KAFKA_BROKERS and NILECARE_SYNC_* variables', () => {
    const options = resolveGatewayOptions(
      optionsFromEnvironment({
        NILECARE_KAFKA_BROKERS: 'hub-1.moh.sd:9092, hub-2.moh.sd:9092',
        NILECARE_SYNC_TOPIC_PREFIX: 'clinic-test.',
        NILECARE_SYNC_BANDWIDTH_BYTES_PER_SECOND: '16000',
        NILECARE_SYNC_RETENTION_DAYS: '90',
        NILECARE_SYNC_REQUEST_TIMEOUT_MS: '60000',
      }),
    );
    expect(options).toMatchObject({
      kafkaBrokers: ['hub-1.moh.sd:9092', 'hub-2.moh.sd:9092'],
      syncTopicPrefix: 'clinic-test.',
      syncBandwidthBytesPerSecond: 16_000,
      syncRetentionDays: 90,
      syncRequestTimeoutMs: 60_000,
    });
    expect(syncEngineOptions(options, 'gw-1')).toMatchObject({
      brokers: ['hub-1.moh.sd:9092', 'hub-2.moh.sd:9092'],
      clientId: 'nilecare-gateway-gw-1',
      bandwidthBytesPerSecond: 16_000,
      reconnect: { minMs: 250, maxMs: 30_000 },
    });
  });

  it('name the option and the value when one is wrong', () => {
    expect(refusal(optionsFromEnvironment({ NILECARE_KAFKA_BROKERS: 'hub-1' })).message).toMatch(
      /kafkaBrokers\.0.*"hub-1"/,
    );
    expect(refusal({ syncBandwidthBytesPerSecond: -1 }).message).toContain('syncBandwidthBytesPerSecond');
    expect(refusal({ syncTopicPrefix: 'no spaces' }).message).toContain('syncTopicPrefix');
    expect(refusal({ syncReconnectMinMs: 5000, syncReconnectMaxMs: 100 }).message).toMatch(
      /syncReconnectMaxMs.*at least syncReconnectMinMs/,
    );
  });
});
