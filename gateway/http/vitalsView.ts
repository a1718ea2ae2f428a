import { type News2Observations, news2Score } from '../../kernel/clinical/news2.ts';
import { vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import type { LatestVitalsDoc } from '../projections/latestVitals.ts';
import type { LatestVitals, VitalParameters } from './apiContract.ts';

/**
 * Latest vitals with each reading marked stale when its device went quiet
 * (gateway clock), and NEWS2 of the latest observations.
 */
export function vitalsView(doc: LatestVitalsDoc, now: Date, staleAfterSeconds: number): LatestVitals {
  const parameters: VitalParameters = {};
  for (const name of vitalParameters) {
    const reading = doc.parameters[name];
    if (!reading) continue;
    const ageSeconds = Math.max(0, (now.getTime() - Date.parse(reading.recordedAt)) / 1000);
    parameters[name] = {
      ...reading,
      ageSeconds: Math.round(ageSeconds),
      stale: ageSeconds > staleAfterSeconds,
    };
  }
  return { ...doc, parameters, news2: news2Score(news2ObservationsOf(doc)) };
}

/**
 * The latest value of each NEWS2 parameter. SpO2 is on scale 1: the event
 * catalogue has no clinician's choice of scale 2 yet (docs/ui.md#news2).
 */
export function news2ObservationsOf(
  doc: Pick<LatestVitalsDoc, 'parameters' | 'supplementalOxygen' | 'consciousness'>,
): News2Observations {
  const { parameters } = doc;
  const observations: News2Observations = {};
  for (const name of [
    'respiratoryRate',
    'oxygenSaturation',
    'systolicBloodPressure',
    'heartRate',
    'temperature',
  ] as const) {
    const reading = parameters[name];
    if (reading) observations[name] = reading.value;
  }
  if (doc.supplementalOxygen) observations.supplementalOxygen = doc.supplementalOxygen.value;
  if (doc.consciousness) observations.consciousness = doc.consciousness.value;
  return observations;
}
