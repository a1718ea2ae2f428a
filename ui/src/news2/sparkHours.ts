import type { News2Band } from '../../../kernel/clinical/news2.ts';
import type { News2Trends } from '../model.ts';

export type SparkPoint = News2Trends['patients'][number]['points'][number];

const HOUR_MS = 3_600_000;
const bandRank: Record<News2Band, number> = { low: 0, lowMedium: 1, medium: 2, high: 3 };

/**
 * The hours of a sparkline with the live score folded into the current hour:
 * the gateway's hourly worst (GET /api/v1/news2/trends) is read now and
 * then, the board's own NEWS2 moves with every reading on the live stream,
 * so the line's last point and colour follow the card's badge at once.
 */
export function withLiveScore(
  points: readonly SparkPoint[],
  live: { total: number; band: News2Band } | undefined,
  now: number,
): SparkPoint[] {
  if (!live) return [...points];
  const hour = new Date(Math.floor(now / HOUR_MS) * HOUR_MS).toISOString();
  const held = points.find((point) => point.t === hour);
  const rest = points.filter((point) => point.t !== hour);
  const worse =
    !held ||
    bandRank[live.band] > bandRank[held.band] ||
    (live.band === held.band && live.total > held.total);
  return [...rest, worse ? { t: hour, ...live } : held].sort((a, b) => a.t.localeCompare(b.t));
}
