import { describe, expect, it } from 'vitest';
import { createLoginAttempts } from '../../../gateway/broker/loginAttempts.ts';

const limits = { maxFailures: 3, windowMs: 60_000 };
const keys = ['address 10.0.0.7', 'device monitor-7'];

describe('failed MQTT logins', () => {
  it('are reserved before the check, so a burst in flight is stopped at the limit however fast it comes', () => {
    const attempts = createLoginAttempts(limits);
    const burst = Array.from({ length: 10 }, () => attempts.reserve(keys, 1000));
    expect(burst.filter((reservation) => reservation.ok)).toHaveLength(3);
    expect(burst[3]).toEqual({ ok: false, key: 'address 10.0.0.7', retryAfterMs: 60_000 });
  });

  it('open again once the oldest counted failure leaves the window', () => {
    const attempts = createLoginAttempts(limits);
    for (const at of [0, 10_000, 20_000]) attempts.reserve(keys, at);
    expect(attempts.reserve(keys, 59_999)).toMatchObject({ ok: false, retryAfterMs: 1 });
    expect(attempts.reserve(keys, 60_000)).toMatchObject({ ok: true });
  });

  it('do not count a login that succeeded', () => {
    const attempts = createLoginAttempts(limits);
    for (let n = 0; n < 10; n += 1) {
      const reservation = attempts.reserve(keys, n);
      if (!reservation.ok) throw new Error(`login ${n} was refused`);
      reservation.succeeded();
      reservation.succeeded(); // twice gives back one attempt, not two
    }
    expect(attempts.reserve(keys, 10)).toMatchObject({ ok: true });
  });

  it('count each key on its own: the device guessed from many addresses is stopped, and so is one address guessing many devices', () => {
    const attempts = createLoginAttempts(limits);
    for (const address of ['a', 'b', 'c']) attempts.reserve([`address ${address}`, 'device monitor-7'], 0);
    expect(attempts.reserve(['address d', 'device monitor-7'], 1)).toMatchObject({
      ok: false,
      key: 'device monitor-7',
    });
    for (const device of ['x', 'y', 'z']) attempts.reserve(['address e', `device ${device}`], 0);
    expect(attempts.reserve(['address e', 'device w'], 1)).toMatchObject({ ok: false, key: 'address e' });
    expect(attempts.reserve(['address f', 'device v'], 1)).toMatchObject({ ok: true });
  });
});
