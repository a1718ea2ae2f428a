import {
  consciousnessScore,
  news2Chart,
  type ParameterScore,
  scoreOn,
} from '../../kernel/clinical/news2Chart.ts';
import { supplementalOxygenScore } from '../../kernel/clinical/news2Chart.ts';
import type { ConsciousnessLevel } from '../../kernel/clinical/news2Chart.ts';
import { type VitalParameter, vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import type { Flowsheet } from '../http/apiContract.ts';
import type { BucketRow, ObservationRow } from '../trends/trendQuery.ts';
import { type TrendPoint, trendSeries } from '../trends/trendSeries.ts';

type MeasuredCell = Flowsheet['measured'][VitalParameter][number];
type EnteredCell = Flowsheet['entered']['consciousness'][number];

/** The chart row each measured parameter is scored on; diastolic pressure is not part of NEWS2. */
const scoredOn: Partial<Record<VitalParameter, keyof typeof news2Chart>> = {
  respiratoryRate: 'respiratoryRate',
  oxygenSaturation: 'spo2Scale1',
  systolicBloodPressure: 'systolicBloodPressure',
  heartRate: 'heartRate',
  temperature: 'temperature',
};

/**
 * The flowsheet's grid from the downsampled intervals (gateway/trends/trendQuery.ts).
 * Each cell charts one value, the one a nurse writes at the observation round:
 * the latest hand-entered reading of the interval, else the monitor's latest.
 * Not the worst: a single artefact (a probe slipping off a finger) would then
 * colour the whole hour; the interval's extremes travel with the cell so the
 * screen can still show them, and the alerts catch a real fall between rounds.
 */
export function flowsheetGrid(
  rows: readonly BucketRow[],
  observations: readonly ObservationRow[],
  from: Date,
  intervalSeconds: number,
  columnCount: number,
): Pick<Flowsheet, 'columns' | 'measured' | 'entered' | 'news2'> {
  const series = trendSeries(rows, observations, from, intervalSeconds);
  const startOf = (bucket: number) =>
    new Date(from.getTime() + bucket * intervalSeconds * 1000).toISOString();
  const measured = Object.fromEntries(
    vitalParameters.map((name) => {
      const { device, manual } = series.parameters[name];
      return [name, mergedCells(name, device, manual)];
    }),
  ) as Flowsheet['measured'];
  const entered: Flowsheet['entered'] = { supplementalOxygen: [], consciousness: [] };
  for (const row of observations) {
    const t = startOf(row.bucket);
    if (row.supplementalOxygen != null)
      entered.supplementalOxygen.push(oxygenCell(t, row.supplementalOxygen === 1));
    if (row.consciousness != null) entered.consciousness.push(consciousnessCell(t, row.consciousness));
  }
  return {
    columns: Array.from({ length: columnCount }, (_, bucket) => startOf(bucket)),
    measured,
    entered,
    news2: series.news2,
  };
}

/** One cell per interval with a reading: the hand entry's latest if there is one, extremes over both. */
function mergedCells(name: VitalParameter, device: TrendPoint[], manual: TrendPoint[]): MeasuredCell[] {
  const byStart = new Map<string, MeasuredCell>();
  for (const [method, points] of [
    ['device', device],
    ['manual', manual],
  ] as const)
    for (const point of points) {
      const earlier = byStart.get(point.t);
      byStart.set(point.t, {
        t: point.t,
        value: point.last,
        method,
        min: Math.min(point.min, earlier?.min ?? Infinity),
        max: Math.max(point.max, earlier?.max ?? -Infinity),
        count: point.count + (earlier?.count ?? 0),
        ...scoreOf(name, point.last),
      });
    }
  return [...byStart.values()].sort((a, b) => a.t.localeCompare(b.t));
}

function scoreOf(name: VitalParameter, value: number): { score?: ParameterScore } {
  const row = scoredOn[name];
  return row ? { score: scoreOn(news2Chart[row], value) } : {};
}

function oxygenCell(t: string, onOxygen: boolean): EnteredCell {
  return { t, value: onOxygen ? 'oxygen' : 'air', score: onOxygen ? supplementalOxygenScore : 0 };
}

function consciousnessCell(t: string, level: string): EnteredCell {
  return { t, value: level as ConsciousnessLevel, score: consciousnessScore(level as ConsciousnessLevel) };
}
