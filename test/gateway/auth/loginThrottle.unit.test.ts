import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../../gateway/auth/loginThrottle.ts';

function clockAt(start: number) {
  let now = start;
  const clock = () => new Date(now);
  return { clock, advanceSeconds: (seconds: number) => (now += seconds * 1000) };
}

describe('the sign-in throttle', () => {
  it('lets four failures through and stops the fifth key-holder until the oldest failure is 15 minutes old', () => {
    const time = clockAt(Date.parse('2026-11-26T08:00:00Z'));
    const throttle = createLoginThrottle(time.clock);
    const keys = ['user:amna', 'address:10.0.0.7'];
    for (let n = 0; n < 4; n += 1) {
      expect(throttle.retryAfterSeconds(keys)).toBe(0);
      throttle.fail(keys);
      time.advanceSeconds(60);
    }
    throttle.fail(keys);
    // The first failure was at 08:00, so tries open again at 08:15.
    expect(throttle.retryAfterSeconds(keys)).toBe(11 * 60);
    time.advanceSeconds(11 * 60 - 1);
    expect(throttle.retryAfterSeconds(keys)).toBe(1);
    time.advanceSeconds(1);
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
  });

  it('limits each key on its own: another username from another address is not stopped', () => {
    const time = clockAt(0);
    const throttle = createLoginThrottle(time.clock);
    for (let n = 0; n < 5; n += 1) throttle.fail(['user:amna', 'address:10.0.0.7']);
    expect(throttle.retryAfterSeconds(['user:huda', 'address:10.0.0.8'])).toBe(0);
    expect(throttle.retryAfterSeconds(['user:huda', 'address:10.0.0.7'])).toBeGreaterThan(0);
  });

  it('forgets a username after a successful sign-in, not its address', () => {
    const time = clockAt(0);
    const throttle = createLoginThrottle(time.clock);
    for (let n = 0; n < 5; n += 1) throttle.fail(['user:amna', 'address:10.0.0.7']);
    throttle.succeed('user:amna');
    expect(throttle.retryAfterSeconds(['user:amna'])).toBe(0);
    expect(throttle.retryAfterSeconds(['address:10.0.0.7'])).toBeGreaterThan(0);
  });
});
