import { describe, expect, it } from 'vitest';
import { news2Hourly } from '../../../gateway/trends/news2Hourly.ts';
import type { News2Point } from '../../../gateway/trends/trendSeries.ts';

const from = new Date('2026-12-07T08:00:00.000Z');
const point = (t: string, total: number, band: News2Point['band']): News2Point => ({
  t: `2026-12-07T${t}:00.000Z`,
  total,
  band,
  complete: true,
  missing: [],
});

describe("the hourly NEWS2 of a board's sparkline", () => {
  it('keeps the worst quarter of each hour, so a brief worsening is not averaged away', () => {
    expect(
      news2Hourly(
        [
          point('08:00', 1, 'low'),
          point('08:15', 6, 'medium'),
          point('08:30', 2, 'low'),
          point('09:45', 3, 'low'),
        ],
        from,
      ),
    ).toEqual([
      { t: '2026-12-07T08:00:00.000Z', total: 6, band: 'medium' },
      { t: '2026-12-07T09:00:00.000Z', total: 3, band: 'low' },
    ]);
  });

  it('ranks a single 3 above a higher total in the low band', () => {
    expect(news2Hourly([point('10:00', 4, 'low'), point('10:15', 3, 'lowMedium')], from)).toEqual([
      { t: '2026-12-07T10:00:00.000Z', total: 3, band: 'lowMedium' },
    ]);
  });

  it('leaves an hour without a score out: a silent monitor is a gap, not a zero', () => {
    const hours = news2Hourly([point('08:10', 0, 'low'), point('11:05', 0, 'low')], from);
    expect(hours.map((hour) => hour.t)).toEqual(['2026-12-07T08:00:00.000Z', '2026-12-07T11:00:00.000Z']);
  });
});
