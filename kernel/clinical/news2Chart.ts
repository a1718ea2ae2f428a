/**
 * The National Early Warning Score 2 chart (Royal College of Physicians,
 * London, 2017, chart 1) as data: the one place the band edges are written.
 * kernel/clinical/news2.ts scores observations with it and
 * kernel/clinical/criticalValueRules.ts derives the single-parameter alert
 * thresholds from it.
 */

export type ParameterScore = 0 | 1 | 2 | 3;

/** Values up to and including `upTo` (after rounding to the chart's resolution) score `score`. */
export interface ScoreBand {
  upTo: number;
  score: ParameterScore;
}

/** One numeric row of the chart: its bands in ascending order, the last one open-ended. */
export interface NumericChartRow {
  /** The step the chart is written in (whole breaths, 0.1 °C): a reading is rounded to it first. */
  resolution: number;
  bands: readonly ScoreBand[];
}

const row = (resolution: number, ...bands: [number, ParameterScore][]): NumericChartRow => ({
  resolution,
  bands: bands.map(([upTo, score]) => ({ upTo, score })),
});

/** The numeric rows of chart 1; SpO2 has one row per scale, and scale 2 one per air or oxygen. */
export const news2Chart = {
  respiratoryRate: row(1, [8, 3], [11, 1], [20, 0], [24, 2], [Infinity, 3]),
  /** SpO2 scale 1: every patient unless a clinician chose scale 2. */
  spo2Scale1: row(1, [91, 3], [93, 2], [95, 1], [Infinity, 0]),
  /** SpO2 scale 2 (hypercapnic respiratory failure) breathing air: 88 % and above scores 0. */
  spo2Scale2OnAir: row(1, [83, 3], [85, 2], [87, 1], [Infinity, 0]),
  /** SpO2 scale 2 on supplemental oxygen: above 92 % scores again (oxygen to be titrated down). */
  spo2Scale2OnOxygen: row(1, [83, 3], [85, 2], [87, 1], [92, 0], [94, 1], [96, 2], [Infinity, 3]),
  systolicBloodPressure: row(1, [90, 3], [100, 2], [110, 1], [219, 0], [Infinity, 3]),
  heartRate: row(1, [40, 3], [50, 1], [90, 0], [110, 1], [130, 2], [Infinity, 3]),
  temperature: row(0.1, [35.0, 3], [36.0, 1], [38.0, 0], [39.0, 1], [Infinity, 2]),
} as const satisfies Record<string, NumericChartRow>;

/** Supplemental oxygen scores 2, air 0. */
export const supplementalOxygenScore = 2;

/** ACVPU: Alert scores 0; new Confusion, or responding only to Voice or Pain, or Unresponsive scores 3. */
export const consciousnessLevels = ['A', 'C', 'V', 'P', 'U'] as const;
export type ConsciousnessLevel = (typeof consciousnessLevels)[number];
export const consciousnessScore = (level: ConsciousnessLevel): ParameterScore => (level === 'A' ? 0 : 3);

/** A reading rounded to the chart's resolution, as a nurse writes it on the paper chart. */
export function roundedToChart(chartRow: NumericChartRow, value: number): number {
  const decimals = Math.max(0, Math.round(-Math.log10(chartRow.resolution)));
  return Number(value.toFixed(decimals));
}

/** The score of one numeric reading on one row of the chart. */
export function scoreOn(chartRow: NumericChartRow, value: number): ParameterScore {
  const rounded = roundedToChart(chartRow, value);
  const band = chartRow.bands.find((candidate) => rounded <= candidate.upTo);
  return (band ?? chartRow.bands[chartRow.bands.length - 1]!).score;
}

/** The lowest value a band starts at: the band below's edge plus one step of the chart. */
export function bandStart(chartRow: NumericChartRow, index: number): number {
  const below = chartRow.bands[index - 1];
  if (!below) return -Infinity;
  return roundedToChart(chartRow, below.upTo + chartRow.resolution);
}
