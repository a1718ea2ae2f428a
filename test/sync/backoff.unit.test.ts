import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../sync/backoff.ts';

const policy = { minMs: 250, maxMs: 30_000 };

describe('reconnect backoff (exponential, full jitter, injected random)', () => {
  it('doubles the cap with each failed attempt', () => {
    const highest = () => 0.999999;
    expect([0, 1, 2, 3, 4].map((attempt) => reconnectDelayMs(attempt, policy, highest))).toEqual([
      249, 499, 999, 1999, 3999,
    ]);
  });

  it('never waits longer than the largest cap, however many attempts failed', () => {
    expect(reconnectDelayMs(50, policy, () => 0.999999)).toBe(29_999);
    expect(reconnectDelayMs(10_000, policy, () => 0.5)).toBe(15_000);
  });

  it('spreads the wait over the whole range from zero, so many gateways do not reconnect in step', () => {
    expect(reconnectDelayMs(3, policy, () => 0)).toBe(0);
    expect(reconnectDelayMs(3, policy, () => 0.5)).toBe(1000);
    const delays = Array.from({ length: 200 }, (_, n) => reconnectDelayMs(4, policy, () => n / 200));
    expect(new Set(delays).size).toBe(200);
  });
});
