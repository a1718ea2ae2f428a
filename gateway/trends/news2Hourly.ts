import type { News2Band } from '../../kernel/clinical/news2.ts';
import type { News2Point } from './trendSeries.ts';

export interface News2HourPoint {
  /** Start of the hour. */
  t: string;
  /** The highest NEWS2 total scored in the hour. */
  total: number;
  band: News2Band;
}

const bandRank: Record<News2Band, number> = { low: 0, lowMedium: 1, medium: 2, high: 3 };

/**
 * The worst NEWS2 of each hour from finer buckets (trendSeries), for a
 * sparkline: a score that crossed into a band for a quarter of an hour must
 * still show in a line of twelve points. Worst by band first, then total
 * (a single 3 ranks above a total of 4). An hour without a score has no point.
 */
export function news2Hourly(points: readonly News2Point[], from: Date): News2HourPoint[] {
  const hours = new Map<number, News2HourPoint>();
  for (const { t, total, band } of points) {
    const hour = Math.floor((Date.parse(t) - from.getTime()) / 3_600_000);
    const held = hours.get(hour);
    if (!held || bandRank[band] > bandRank[held.band] || (band === held.band && total > held.total))
      hours.set(hour, { t: new Date(from.getTime() + hour * 3_600_000).toISOString(), total, band });
  }
  return [...hours.entries()].sort(([a], [b]) => a - b).map(([, point]) => point);
}
