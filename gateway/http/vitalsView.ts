import { type News2Score, news2Score, type Spo2Scale } from '../../kernel/clinical/news2.ts';
import { news2AggregateRule } from '../../kernel/clinical/news2AggregateRule.ts';
import { vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import type { LatestVitalsDoc } from '../projections/latestVitals.ts';
import { news2ObservationSet } from '../rules/news2ObservationSet.ts';
import type { LatestVitals, VitalParameters } from './apiContract.ts';

/**
 * Latest vitals with each reading marked stale when its device went quiet
 * (gateway clock), and NEWS2 as the aggregate-score alert takes it: the
 * latest observations taken within the rule's freshness window, on the SpO2
 * scale a clinician chose (docs/critical-values.md#news2-aggregate-score), so
 * the chart never shows a score the alert rule would not.
 */
export function vitalsView(
  doc: LatestVitalsDoc,
  now: Date,
  staleAfterSeconds: number,
  spo2Scale: Spo2Scale = 1,
): LatestVitals {
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
  return { ...doc, parameters, news2: news2Of(doc, spo2Scale) };
}

/** NEWS2 of the latest observations taken within the alert rule's freshness window, on the patient's scale. */
export function news2Of(doc: LatestVitalsDoc | undefined, spo2Scale: Spo2Scale): News2Score {
  return news2Score(news2ObservationSet(doc, news2AggregateRule.freshnessSeconds).observations, spo2Scale);
}
