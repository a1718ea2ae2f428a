import { describe, expect, it } from 'vitest';
import { batchBytesUnder, budgetOf, fullBucket, spend, waitBeforeSendingMs } from '../../sync/tokenBucket.ts';

describe('the bandwidth budget (token bucket, injected clock)', () => {
  const budget = budgetOf(10_000)!; // 10 kB/s, 10 kB of burst

  it('means no limit at 0 bytes per second', () => {
    expect(budgetOf(0)).toBeUndefined();
    expect(batchBytesUnder(undefined, 512 * 1024)).toBe(512 * 1024);
  });

  it('lets a full bucket send at once, then makes the next batch wait until the debt is repaid', () => {
    let bucket = fullBucket(budget, 0);
    expect(waitBeforeSendingMs(bucket, budget, 0)).toBe(0);
    bucket = spend(bucket, budget, 0, 15_000); // 5 kB over: half a second of debt
    expect(waitBeforeSendingMs(bucket, budget, 0)).toBe(500);
    expect(waitBeforeSendingMs(bucket, budget, 250)).toBe(250);
    expect(waitBeforeSendingMs(bucket, budget, 500)).toBe(0);
  });

  it('never exceeds the budget on average, whatever the batch sizes', () => {
    let bucket = fullBucket(budget, 0);
    let now = 0;
    let sent = 0;
    const sizes = [3000, 12_000, 800, 25_000, 4000, 9000, 1, 16_000];
    for (let round = 0; round < 40; round += 1) {
      now += waitBeforeSendingMs(bucket, budget, now);
      const bytes = sizes[round % sizes.length]!;
      bucket = spend(bucket, budget, now, bytes);
      sent += bytes;
    }
    // Everything sent by `now` fits in one burst plus the rate times the elapsed time.
    expect(sent).toBeLessThanOrEqual(budget.burstBytes + (budget.bytesPerSecond * now) / 1000 + sizes[3]!);
    expect(sent / (now / 1000)).toBeLessThan(budget.bytesPerSecond * 1.2);
  });

  it('does not save up more than one burst during a quiet hour', () => {
    const bucket = spend(fullBucket(budget, 0), budget, 3_600_000, 20_000);
    expect(waitBeforeSendingMs(bucket, budget, 3_600_000)).toBe(1000);
  });

  it('caps a batch at one burst, so a batch never holds the link for more than a second', () => {
    expect(batchBytesUnder(budget, 512 * 1024)).toBe(10_000);
    expect(batchBytesUnder(budgetOf(10_000_000), 512 * 1024)).toBe(512 * 1024);
  });

  it('ignores a clock that steps back', () => {
    const bucket = spend(fullBucket(budget, 1000), budget, 1000, 10_000);
    expect(waitBeforeSendingMs(bucket, budget, 500)).toBe(0);
    expect(spend(bucket, budget, 500, 5000).tokens).toBe(-5000);
  });
});
