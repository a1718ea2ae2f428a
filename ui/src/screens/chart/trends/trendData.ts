import type { VitalParameter, VitalsTrend } from '../../../model.ts';
import type { TrendPanel } from './trendPanels.ts';

/** One value per bucket of the window; null where the bucket had no reading (drawn as a gap, never joined). */
export type BucketValues = (number | null)[];

/** One vital sign on a panel: the monitors' extremes and latest value per bucket, and the readings entered by hand. */
export interface TrendLine {
  parameter: VitalParameter;
  max: BucketValues;
  min: BucketValues;
  last: BucketValues;
  manual: BucketValues;
}

/** An alert drawn at the time it was raised. */
export interface AlertMark {
  alertId: string;
  /** Seconds since the epoch, as the chart's time axis counts. */
  at: number;
  parameter: string;
  priority: 'high' | 'medium';
  value?: number;
}

/** What one panel draws, aligned on the window's buckets (uPlot's data is one x array and y arrays of its length). */
export interface PanelData {
  /** Start of each bucket, seconds since the epoch. */
  times: number[];
  lines: TrendLine[];
  /** NEWS2 total per bucket (the NEWS2 panel only). */
  news2?: { total: BucketValues; complete: (boolean | null)[] };
  alerts: AlertMark[];
  /** The window's ends, seconds since the epoch: the x axis spans all of it, readings or not. */
  from: number;
  to: number;
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The start of every bucket of the window, readings or not. */
export function bucketTimes(trend: Pick<VitalsTrend, 'from' | 'to' | 'bucketSeconds'>): number[] {
  const from = seconds(trend.from);
  const count = Math.max(0, Math.floor((seconds(trend.to) - from) / trend.bucketSeconds));
  return Array.from({ length: count }, (_, index) => from + index * trend.bucketSeconds);
}

/** Values placed in their buckets; a point outside the window is dropped, a bucket without one stays null. */
export function inBuckets<P extends { t: string }, V = number>(
  times: readonly number[],
  bucketSeconds: number,
  points: readonly P[],
  pick: (point: P) => V,
): (V | null)[] {
  const values: (V | null)[] = times.map(() => null);
  const first = times[0];
  if (first === undefined) return values;
  for (const point of points) {
    const index = Math.floor((seconds(point.t) - first) / bucketSeconds);
    if (index >= 0 && index < values.length) values[index] = pick(point);
  }
  return values;
}

/** The trend reply as one panel draws it. */
export function panelData(trend: VitalsTrend, panel: TrendPanel): PanelData {
  const times = bucketTimes(trend);
  const place = <P extends { t: string }, V>(points: readonly P[], pick: (point: P) => V) =>
    inBuckets(times, trend.bucketSeconds, points, pick);
  const lines = panel.parameters.map((parameter): TrendLine => {
    const { device, manual } = trend.parameters[parameter];
    return {
      parameter,
      max: place(device, (point) => point.max),
      min: place(device, (point) => point.min),
      last: place(device, (point) => point.last),
      manual: place(manual, (point) => point.last),
    };
  });
  const from = seconds(trend.from);
  const to = seconds(trend.to);
  const parameters = new Set<string>(panel.parameters);
  const alerts = trend.alerts
    .filter((alert) => parameters.has(alert.parameter))
    .map((alert) => ({
      alertId: alert.alertId,
      at: seconds(alert.raisedAt),
      parameter: alert.parameter,
      priority: alert.priority,
      ...(alert.value !== undefined ? { value: alert.value } : {}),
    }))
    .filter((mark) => mark.at >= from && mark.at <= to);
  return {
    times,
    lines,
    ...(panel.id === 'news2'
      ? {
          news2: {
            total: place(trend.news2, (point) => point.total),
            complete: place(trend.news2, (point) => point.complete),
          },
        }
      : {}),
    alerts,
    from,
    to,
  };
}

/** Buckets with a value whose neighbours have none: a line cannot show them, so they are drawn as dots. */
export function isolatedIndices(values: BucketValues): number[] {
  return values.flatMap((value, index) =>
    value !== null && (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null
      ? [index]
      : [],
  );
}

/** The series a panel draws, in uPlot's order: each line's max, min, latest and hand entries, or the NEWS2 total. */
export function seriesValues(data: PanelData): BucketValues[] {
  if (data.news2) return [data.news2.total];
  return data.lines.flatMap((line) => [line.max, line.min, line.last, line.manual]);
}

/** True for each bucket where the panel has anything to show. */
export function bucketsWithData(data: PanelData): boolean[] {
  const series = seriesValues(data);
  return data.times.map((_, index) => series.some((values) => values[index] !== null));
}

/** The latest bucket with a value, and the value: what "now" looks like on this line. */
export function latestOf(values: BucketValues): { index: number; value: number } | undefined {
  for (let index = values.length - 1; index >= 0; index -= 1) {
    const value = values[index];
    if (value !== null && value !== undefined) return { index, value };
  }
  return undefined;
}
