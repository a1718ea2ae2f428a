import { describe, expect, it } from 'vitest';
import { createRefusalTally } from '../../../gateway/broker/refusalTally.ts';

const code = 'GW_ERR_DEVICE_AUTH';

describe('refused logins of one source', () => {
  it('are recorded once per window and the rest counted into one summary when it ends', () => {
    const tally = createRefusalTally(60_000);
    const notes = Array.from({ length: 200 }, (_, n) =>
      tally.note(code, '10.0.0.9', `wrong password ${n}`, n),
    );
    // Each says how many came before it in the window: only the first (0) is recorded on its own.
    expect(notes).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(tally.due(59_999)).toEqual([]);
    expect(tally.due(60_000)).toEqual([
      { code, source: '10.0.0.9', more: 199, lastReason: 'wrong password 199', from: 0, to: 60_000 },
    ]);
    expect(tally.due(120_000)).toEqual([]);
    expect(tally.note(code, '10.0.0.9', 'wrong password', 120_001)).toBe(0);
  });

  it('keep sources and reason codes apart, and a window with one refusal adds no summary', () => {
    const tally = createRefusalTally(1000);
    expect(tally.note(code, '10.0.0.9', 'x', 0)).toBe(0);
    expect(tally.note(code, '10.0.0.10', 'x', 0)).toBe(0);
    expect(tally.note('GW_ERR_DEVICE_CONNECT_TIMEOUT', '10.0.0.9', 'x', 0)).toBe(0);
    expect(tally.note(code, '10.0.0.9', 'y', 1)).toBe(1);
    expect(tally.due(1000).map((window) => [window.source, window.code, window.more])).toEqual([
      ['10.0.0.9', code, 1],
    ]);
  });

  it('are all reported at shutdown, and a window a new refusal finds over is reported at the next look', () => {
    const tally = createRefusalTally(1000);
    tally.note(code, 'a', 'x', 0);
    tally.note(code, 'a', 'x', 1);
    tally.note(code, 'a', 'x', 5000); // a new window; the old one is over
    tally.note(code, 'b', 'x', 5000);
    tally.note(code, 'b', 'x', 5001);
    expect(tally.drain(5002).map((window) => [window.source, window.more, window.to])).toEqual([
      ['a', 1, 1000],
      ['b', 1, 5002],
    ]);
    expect(tally.drain(6000)).toEqual([]);
  });
});
