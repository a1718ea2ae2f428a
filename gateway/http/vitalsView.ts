import { vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import type { LatestVitalsDoc } from '../projections/latestVitals.ts';
import type { LatestVitals, VitalParameters } from './apiContract.ts';

/** Latest vitals with each reading marked stale when its device went quiet (gateway clock). */
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
  return { ...doc, parameters };
}
