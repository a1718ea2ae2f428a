import { type News2Observations, news2ObservationsOf, news2Score } from '../../kernel/clinical/news2.ts';
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
  return { ...doc, parameters, news2: news2Score(latestNews2Observations(doc)) };
}

/**
 * The latest value of each NEWS2 parameter. SpO2 is on scale 1: the event
 * catalogue has no clinician's choice of scale 2 yet (docs/ui.md#news2).
 */
export function latestNews2Observations(
  doc: Pick<LatestVitalsDoc, 'parameters' | 'supplementalOxygen' | 'consciousness'>,
): News2Observations {
  return news2ObservationsOf(doc.parameters, doc);
}
