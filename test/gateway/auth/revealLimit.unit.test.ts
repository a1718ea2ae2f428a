import { describe, expect, it } from 'vitest';
import { createRevealLimiter } from '../../../gateway/auth/revealLimit.ts';

describe('the national-ID reveal limit', () => {
  it('lets one user reveal 20 within an hour and stops the 21st until the first is an hour old', () => {
    let now = Date.parse('2026-11-26T08:00:00Z');
    const limiter = createRevealLimiter(() => new Date(now));
    for (let n = 0; n < 20; n += 1) {
      expect(limiter.take('u-amna'), `reveal ${n + 1}`).toBe(0);
      now += 60_000;
    }
    // The first was at 08:00; it is 08:20 now.
    expect(limiter.take('u-amna')).toBe(40 * 60);
    expect(limiter.take('u-huda')).toBe(0);
    now += 40 * 60_000;
    expect(limiter.take('u-amna')).toBe(0);
  });
});
