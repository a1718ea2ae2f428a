import { describe, expect, it } from 'vitest';
import { cursorIndexAfter } from '../../ui/src/screens/chart/trends/cursorKeys.ts';
import { refreshDelay } from '../../ui/src/screens/chart/trends/refreshSchedule.ts';

//                 0      1     2     3      4      5     6
const withData = [false, true, true, false, false, true, false];

describe('the trend chart’s cursor on the keyboard', () => {
  it('goes to the latest reading with End or with the first arrow press, and to the first with Home', () => {
    expect(cursorIndexAfter('End', null, withData)).toBe(5);
    expect(cursorIndexAfter('ArrowLeft', null, withData)).toBe(5);
    expect(cursorIndexAfter('ArrowRight', null, withData)).toBe(5);
    expect(cursorIndexAfter('Home', 5, withData)).toBe(1);
  });

  it('steps over a gap to the next reading, and stays at either end', () => {
    expect(cursorIndexAfter('ArrowLeft', 5, withData)).toBe(2);
    expect(cursorIndexAfter('ArrowRight', 2, withData)).toBe(5);
    expect(cursorIndexAfter('ArrowRight', 5, withData)).toBe(5);
    expect(cursorIndexAfter('ArrowLeft', 1, withData)).toBe(1);
  });

  it('leaves other keys (Tab, letters) to the page, and has nowhere to go without readings', () => {
    expect(cursorIndexAfter('Tab', 2, withData)).toBeUndefined();
    expect(cursorIndexAfter('a', 2, withData)).toBeUndefined();
    expect(cursorIndexAfter('End', null, [false, false])).toBeUndefined();
  });
});

describe('reading the trend again as the patient’s readings stream in', () => {
  const rate = { atMostEveryMs: 10_000, settleMs: 1_000 };

  it('waits until 10 s after the last read', () => {
    expect(refreshDelay(100_000, 103_000, rate)).toBe(7_000);
  });

  it('lets a burst settle for a second when the last read is long past', () => {
    expect(refreshDelay(100_000, 160_000, rate)).toBe(1_000);
  });
});
