/**
 * The trend windows the chart offers and the bucket each is cut into: a few
 * hundred points at most (60, 240, 288, 288), whatever the monitors' rate.
 * Buckets are whole minutes, the read model's smallest (projections/vitalsMinutes.ts).
 */
export const trendWindows = {
  '1h': { hours: 1, bucketSeconds: 60 },
  '8h': { hours: 8, bucketSeconds: 120 },
  '24h': { hours: 24, bucketSeconds: 300 },
  '72h': { hours: 72, bucketSeconds: 900 },
} as const;

export type TrendWindow = keyof typeof trendWindows;
export const trendWindowNames = Object.keys(trendWindows) as TrendWindow[];

/** The window's first bucket start and the end, aligned to the bucket so buckets do not shift between requests. */
export function windowBounds(
  window: TrendWindow,
  now: Date,
): { from: Date; to: Date; bucketSeconds: number } {
  const { hours, bucketSeconds } = trendWindows[window];
  const bucketMs = bucketSeconds * 1000;
  const to = new Date(Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs);
  return { from: new Date(to.getTime() - hours * 3_600_000), to, bucketSeconds };
}
