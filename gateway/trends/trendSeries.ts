import { type News2Observations, news2Score, type News2Score } from '../../kernel/clinical/news2.ts';
import type { ConsciousnessLevel } from '../../kernel/clinical/news2Chart.ts';
import { type VitalParameter, vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import type { BucketRow, ObservationRow } from './trendQuery.ts';

/** One bucket of one parameter: its start and the readings' extremes, latest value and count. */
export interface TrendPoint {
  t: string;
  min: number;
  max: number;
  last: number;
  count: number;
}

export interface ParameterTrend {
  device: TrendPoint[];
  manual: TrendPoint[];
}

export type News2Point = { t: string } & Pick<News2Score, 'total' | 'band' | 'complete' | 'missing'>;

export interface TrendSeries {
  parameters: Record<VitalParameter, ParameterTrend>;
  news2: News2Point[];
}

const news2Quantities = [
  'respiratoryRate',
  'oxygenSaturation',
  'systolicBloodPressure',
  'heartRate',
  'temperature',
] as const satisfies readonly VitalParameter[];

/**
 * The reply's series from the SQL buckets. NEWS2 is scored for each bucket
 * with a reading, from each parameter's latest value up to the bucket's end
 * (a nurse's chart carries the last observation forward); a bucket with no
 * reading has no score, as it has no points.
 */
export function trendSeries(
  rows: readonly BucketRow[],
  observations: readonly ObservationRow[],
  from: Date,
  bucketSeconds: number,
): TrendSeries {
  const startOf = (bucket: number) => new Date(from.getTime() + bucket * bucketSeconds * 1000).toISOString();
  const parameters = Object.fromEntries(
    vitalParameters.map((name) => [name, { device: [], manual: [] } as ParameterTrend]),
  ) as Record<VitalParameter, ParameterTrend>;
  for (const row of rows) {
    const series = parameters[row.parameter as VitalParameter];
    if (!series) continue;
    const { min, max, last, count } = row;
    series[row.method].push({ t: startOf(row.bucket), min, max, last, count });
  }
  return { parameters, news2: news2PerBucket(rows, observations, startOf) };
}

function news2PerBucket(
  rows: readonly BucketRow[],
  observations: readonly ObservationRow[],
  startOf: (bucket: number) => string,
): News2Point[] {
  const buckets = [...new Set([...rows.map((row) => row.bucket), ...observations.map((row) => row.bucket)])];
  buckets.sort((a, b) => a - b);
  const known: News2Observations = {};
  const points: News2Point[] = [];
  for (const bucket of buckets) {
    // Device first, then the hand entry of the same bucket: a nurse's deliberate reading counts last.
    for (const method of ['device', 'manual'] as const)
      for (const row of rows)
        if (row.bucket === bucket && row.method === method && isNews2Quantity(row.parameter))
          known[row.parameter] = row.last;
    const entered = observations.find((row) => row.bucket === bucket);
    if (entered?.supplementalOxygen != null) known.supplementalOxygen = entered.supplementalOxygen === 1;
    if (entered?.consciousness != null) known.consciousness = entered.consciousness as ConsciousnessLevel;
    const { total, band, complete, missing } = news2Score(known);
    points.push({ t: startOf(bucket), total, band, complete, missing });
  }
  return points;
}

function isNews2Quantity(parameter: string): parameter is (typeof news2Quantities)[number] {
  return (news2Quantities as readonly string[]).includes(parameter);
}
