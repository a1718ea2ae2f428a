import type { News2Observations, News2Parameter } from '../../kernel/clinical/news2.ts';
import type { ConsciousnessLevel } from '../../kernel/clinical/news2Chart.ts';
import { type LatestVitalsDoc, orderingTime } from '../projections/latestVitals.ts';

/** The observations one score is taken from, and those left out as too old. */
export interface News2ObservationSet {
  observations: News2Observations;
  /** Observed once, but measured longer than the freshness window before the newest observation. */
  stale: News2Parameter[];
  /** ISO 8601 time of the newest observation in the set (as readings are ordered, latestVitals.ts). */
  takenAt: string | undefined;
}

const measured = [
  'respiratoryRate',
  'oxygenSaturation',
  'systolicBloodPressure',
  'heartRate',
  'temperature',
] as const;

/**
 * The latest observation of each NEWS2 parameter, keeping only those measured
 * within `freshnessSeconds` of the newest one (pure): the chart scores a set
 * of observations taken together (Royal College of Physicians, 2017), so a
 * respiratory rate counted six hours ago is missing from a score of now, not
 * part of it. The times are those the chart orders readings by: the device's
 * measurement time, never later than the gateway received it.
 */
export function news2ObservationSet(
  doc: LatestVitalsDoc | undefined,
  freshnessSeconds: number,
): News2ObservationSet {
  const timed: { name: News2Parameter; at: number; value: number | boolean | ConsciousnessLevel }[] = [];
  for (const name of measured) {
    const reading = doc?.parameters[name];
    if (reading)
      timed.push({ name, at: orderingTime(reading.measuredAt, reading.recordedAt), value: reading.value });
  }
  for (const name of ['supplementalOxygen', 'consciousness'] as const) {
    const observation = doc?.[name];
    if (observation)
      timed.push({
        name,
        at: orderingTime(observation.measuredAt, observation.recordedAt),
        value: observation.value,
      });
  }
  if (timed.length === 0) return { observations: {}, stale: [], takenAt: undefined };
  const newest = Math.max(...timed.map((entry) => entry.at));
  const observations: Record<string, unknown> = {};
  const stale: News2Parameter[] = [];
  for (const { name, at, value } of timed) {
    if (newest - at > freshnessSeconds * 1000) stale.push(name);
    else observations[name] = value;
  }
  return { observations: observations as News2Observations, stale, takenAt: new Date(newest).toISOString() };
}
