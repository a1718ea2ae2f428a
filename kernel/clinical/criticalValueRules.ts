import type { VitalParameter } from '../events/schemas/vitals.ts';
import { bandStart, news2Chart, type NumericChartRow, type ParameterScore } from './news2Chart.ts';

export type AlertSeverity = 'critical' | 'warning';

/** One threshold: a value at or beyond it (below for low, above for high) is a breach of this severity. */
export interface ThresholdBand {
  direction: 'low' | 'high';
  threshold: number;
  severity: AlertSeverity;
}

export interface ParameterRule {
  ruleId: string;
  parameter: VitalParameter;
  bands: readonly ThresholdBand[];
  /** How far back inside the normal range a value must come before its alert resolves (units of the parameter). */
  hysteresis: number;
}

/** A single-parameter score of 3 (the "red score") is `critical`, 2 is `warning`; 0 and 1 raise nothing. */
const severityOfScore: Partial<Record<ParameterScore, AlertSeverity>> = { 3: 'critical', 2: 'warning' };

/**
 * The alert thresholds of one row of the NEWS2 chart: on each side of the
 * band that scores 0, the edge of the mildest band of each severity (a value
 * at or beyond it breaches), so the alerts and the score read one chart.
 */
export function thresholdsOf(chartRow: NumericChartRow): ThresholdBand[] {
  const normal = chartRow.bands.findIndex((band) => band.score === 0);
  const low = new Map<AlertSeverity, number>();
  const high = new Map<AlertSeverity, number>();
  chartRow.bands.forEach((band, index) => {
    const severity = severityOfScore[band.score];
    if (!severity) return;
    if (index < normal) low.set(severity, band.upTo);
    else if (!high.has(severity)) high.set(severity, bandStart(chartRow, index));
  });
  return [
    ...[...low].map(([severity, threshold]) => ({ direction: 'low' as const, threshold, severity })),
    ...[...high].map(([severity, threshold]) => ({ direction: 'high' as const, threshold, severity })),
  ];
}

/**
 * Default rules from the National Early Warning Score 2 (Royal College of
 * Physicians, London, 2017), chart 1, single-parameter scores, read from
 * kernel/clinical/news2Chart.ts: a score of 3 in any one parameter (the "red
 * score") calls for an urgent clinical response and is `critical` here
 * (IEC 60601-1-8 high priority); a score of 2 is `warning` (medium priority).
 * SpO2 uses NEWS2 scale 1. NEWS2 has no diastolic parameter: the diastolic
 * rule is the hypertensive-crisis threshold of the 2017 ACC/AHA blood
 * pressure guideline (> 120 mmHg).
 */
export const news2DefaultRules: readonly ParameterRule[] = [
  {
    ruleId: 'news2-respiratory-rate',
    parameter: 'respiratoryRate',
    hysteresis: 1,
    bands: thresholdsOf(news2Chart.respiratoryRate),
  },
  {
    ruleId: 'news2-spo2-scale1',
    parameter: 'oxygenSaturation',
    hysteresis: 1,
    bands: thresholdsOf(news2Chart.spo2Scale1),
  },
  {
    ruleId: 'news2-systolic-bp',
    parameter: 'systolicBloodPressure',
    hysteresis: 5,
    bands: thresholdsOf(news2Chart.systolicBloodPressure),
  },
  {
    ruleId: 'news2-pulse',
    parameter: 'heartRate',
    hysteresis: 5,
    bands: thresholdsOf(news2Chart.heartRate),
  },
  {
    ruleId: 'news2-temperature',
    parameter: 'temperature',
    hysteresis: 0.2,
    bands: thresholdsOf(news2Chart.temperature),
  },
  {
    ruleId: 'acc-aha-diastolic-crisis',
    parameter: 'diastolicBloodPressure',
    hysteresis: 5,
    bands: [{ direction: 'high', threshold: 121, severity: 'critical' }],
  },
];

const severityRank: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

export function isWorse(a: AlertSeverity, b: AlertSeverity): boolean {
  return severityRank[a] > severityRank[b];
}

export function breaches(band: ThresholdBand, value: number): boolean {
  return band.direction === 'low' ? value <= band.threshold : value >= band.threshold;
}

/** The most severe band a value breaches, if any. */
export function worstBreach(rule: ParameterRule, value: number): ThresholdBand | undefined {
  let worst: ThresholdBand | undefined;
  for (const band of rule.bands) {
    if (breaches(band, value) && (!worst || isWorse(band.severity, worst.severity))) worst = band;
  }
  return worst;
}

/**
 * Back in range, with hysteresis: past the mildest threshold of the episode's
 * direction by more than the rule's hysteresis, so a value hovering at a
 * threshold does not open and close alerts on every reading.
 */
export function hasRecovered(rule: ParameterRule, direction: 'low' | 'high', value: number): boolean {
  const thresholds = rule.bands.filter((band) => band.direction === direction).map((band) => band.threshold);
  if (thresholds.length === 0) return true;
  return direction === 'low'
    ? value > Math.max(...thresholds) + rule.hysteresis
    : value < Math.min(...thresholds) - rule.hysteresis;
}
