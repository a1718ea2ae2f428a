import type { LatestVitalsDoc, VitalReading } from '../projections/latestVitals.ts';

export type VitalReadingView = VitalReading & { stale: boolean; ageSeconds: number };

/** Latest vitals with each reading marked stale when its device went quiet (gateway clock). */
export function vitalsView(doc: LatestVitalsDoc, now: Date, staleAfterSeconds: number) {
  const parameters: Record<string, VitalReadingView> = {};
  for (const [name, reading] of Object.entries(doc.parameters)) {
    const ageSeconds = Math.max(0, (now.getTime() - Date.parse(reading.recordedAt)) / 1000);
    parameters[name] = {
      ...reading,
      ageSeconds: Math.round(ageSeconds),
      stale: ageSeconds > staleAfterSeconds,
    };
  }
  return { ...doc, parameters };
}
