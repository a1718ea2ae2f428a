import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { type News2HourPoint, news2Hourly } from './news2Hourly.ts';
import { createTrendQuery } from './trendQuery.ts';
import { trendSeries } from './trendSeries.ts';

/** Quarter hours: fine enough that a brief worsening shows in its hour's worst, 48 buckets for 12 h. */
const BUCKET_SECONDS = 900;

/**
 * A patient's NEWS2 over the last `hours`, hourly worst, from the per-minute
 * vitals read model: the board's sparklines and the handover's trend read it.
 */
export function createRecentNews2(db: SqliteDatabase) {
  const query = createTrendQuery(db);
  return (patientId: string, now: Date, hours: number) => {
    const { from, to } = recentHours(now, hours);
    const { buckets, observations } = query(patientId, from, to, BUCKET_SECONDS);
    const points: News2HourPoint[] = news2Hourly(
      trendSeries(buckets, observations, from, BUCKET_SECONDS).news2,
      from,
    );
    return { from, to, points };
  };
}

/** The last `hours` whole hours, the current one last. */
export function recentHours(now: Date, hours: number): { from: Date; to: Date } {
  const hourMs = 3_600_000;
  const to = new Date(Math.floor(now.getTime() / hourMs) * hourMs + hourMs);
  return { from: new Date(to.getTime() - hours * hourMs), to };
}
