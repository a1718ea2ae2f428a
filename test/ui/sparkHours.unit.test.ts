import { describe, expect, it } from 'vitest';
import { type SparkPoint, withLiveScore } from '../../ui/src/news2/sparkHours.ts';

const now = Date.parse('2026-12-07T13:40:00.000Z');
const hours: SparkPoint[] = [
  { t: '2026-12-07T12:00:00.000Z', total: 2, band: 'low' },
  { t: '2026-12-07T13:00:00.000Z', total: 4, band: 'low' },
];

describe("a bed card's NEWS2 sparkline", () => {
  it('takes the live score as the current hour when it is worse than the hour so far', () => {
    expect(withLiveScore(hours, { total: 6, band: 'medium' }, now).at(-1)).toEqual({
      t: '2026-12-07T13:00:00.000Z',
      total: 6,
      band: 'medium',
    });
  });

  it('keeps the hour’s worst when the live score has improved since', () => {
    expect(withLiveScore(hours, { total: 1, band: 'low' }, now)).toEqual(hours);
  });

  it('ranks a single 3 above a higher total in the low band', () => {
    expect(withLiveScore(hours, { total: 3, band: 'lowMedium' }, now).at(-1)?.band).toBe('lowMedium');
  });

  it('starts the current hour from the live score when the gateway had none for it yet', () => {
    const later = Date.parse('2026-12-07T14:05:00.000Z');
    expect(withLiveScore(hours, { total: 0, band: 'low' }, later)).toEqual([
      ...hours,
      { t: '2026-12-07T14:00:00.000Z', total: 0, band: 'low' },
    ]);
  });
});
