import { describe, expect, it } from 'vitest';
import { optionsFromEnvironment, resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';

describe('disk-space options', () => {
  it('come from the environment, numbers and the prune switch coerced', () => {
    const options = resolveGatewayOptions(
      optionsFromEnvironment({
        NILECARE_STORAGE_LOW_WATER_BYTES: '2000000',
        NILECARE_STORAGE_CRITICAL_BYTES: '500000',
        NILECARE_STORAGE_RECOVER_MARGIN_BYTES: '1000',
        NILECARE_STORAGE_CHECK_EVERY_MS: '250',
        NILECARE_STORAGE_PRUNE_WHEN_LOW: 'false',
      }),
    );
    expect(options).toMatchObject({
      storageLowWaterBytes: 2_000_000,
      storageCriticalBytes: 500_000,
      storageRecoverMarginBytes: 1000,
      storageCheckEveryMs: 250,
      storagePruneWhenLow: false,
    });
  });

  it('default to 1 GiB low water, 256 MiB critical, pruning on', () => {
    expect(resolveGatewayOptions()).toMatchObject({
      storageLowWaterBytes: 1024 ** 3,
      storageCriticalBytes: 256 * 1024 ** 2,
      storagePruneWhenLow: true,
    });
  });

  it('refuse a critical mark above the low-water mark, naming the option', () => {
    expect(() => resolveGatewayOptions({ storageLowWaterBytes: 1000, storageCriticalBytes: 2000 })).toThrow(
      /storageCriticalBytes.*at most storageLowWaterBytes/,
    );
  });

  it('refuse a size that is not a number, showing the text received', () => {
    expect(() =>
      resolveGatewayOptions(optionsFromEnvironment({ NILECARE_STORAGE_LOW_WATER_BYTES: '1GB' })),
    ).toThrow(/storageLowWaterBytes.*"1GB"/);
  });
});
