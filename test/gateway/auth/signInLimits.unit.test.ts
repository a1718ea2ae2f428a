import { describe, expect, it } from 'vitest';
import { clientAddressKey, defaultSignInLimits, signInKeys } from '../../../gateway/auth/signInLimits.ts';
import { waitMsFor } from '../../../gateway/auth/slidingWindow.ts';

const minute = 60_000;
const window = 15 * minute;

describe('the wait a counter of failed sign-ins imposes', () => {
  it('is none below the limit, and lasts until the oldest counted failure is 15 minutes old', () => {
    const now = 20 * minute;
    expect(
      waitMsFor(
        [19, 18, 17, 16].map((m) => m * minute),
        5,
        window,
        now,
      ),
    ).toBe(0);
    // Five failures at minutes 16 to 20: tries open again at 16 + 15 = 31.
    expect(
      waitMsFor(
        [20, 19, 18, 17, 16].map((m) => m * minute),
        5,
        window,
        now,
      ),
    ).toBe(11 * minute);
  });

  it('counts only the newest failures up to the limit, whatever order they come in', () => {
    const now = 30 * minute;
    const times = [16, 29, 20, 25, 28, 27].map((m) => m * minute);
    // The newest five are 29, 28, 27, 25, 20: the wait ends at 20 + 15 = 35.
    expect(waitMsFor(times, 5, window, now)).toBe(5 * minute);
  });

  it('ignores failures that have left the window', () => {
    expect(
      waitMsFor(
        [0, 1, 2, 3, 4].map((m) => m * minute),
        5,
        window,
        20 * minute,
      ),
    ).toBe(0);
  });
});

describe('the counters a sign-in counts against', () => {
  it('are the username from the address, the address, and the username from anywhere', () => {
    expect(signInKeys(' Amna ', '10.0.0.7', defaultSignInLimits)).toEqual([
      { kind: 'pair', key: 'pair:amna@10.0.0.7', limit: 5 },
      { kind: 'address', key: 'address:10.0.0.7', limit: 10 },
      { kind: 'user', key: 'user:amna', limit: 20 },
    ]);
  });

  it('treat an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(clientAddressKey('::FFFF:10.0.0.7')).toBe('10.0.0.7');
    expect(clientAddressKey('fe80::1')).toBe('fe80::1');
  });

  it('stop one address before it could close a username to everyone else', () => {
    const { perPair, perAddress, perUsername } = defaultSignInLimits;
    expect(perPair).toBeLessThanOrEqual(perAddress);
    expect(perAddress).toBeLessThan(perUsername);
  });
});
