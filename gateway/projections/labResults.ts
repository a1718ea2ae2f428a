import { dataOf, type Projection } from './projection.ts';

export interface LabResult {
  resultId: string;
  orderId?: string;
  specimen: { specimenId: string; type: string; collectedAt?: string };
  testCode: string;
  testName: string;
  value: number | string;
  comparator?: '<' | '<=' | '>' | '>=' | '=';
  unit?: string;
  referenceRange?: { low?: number; high?: number; text?: string };
  flags?: string[];
  resultStatus: 'preliminary' | 'final' | 'corrected';
  analyzer?: string;
  deviceId?: string;
  note?: string;
  observedAt: string;
  reportedAt: string;
  /** The statuses this result went through, oldest first (preliminary, final, corrected). */
  statusHistory: { resultStatus: string; value: number | string; reportedAt: string }[];
}

/** A patient's lab results, one entry per result id (a later status replaces the earlier one), oldest first. */
export interface LabResultsDoc {
  patientId: string;
  results: LabResult[];
}

/** How far a result has come: a late preliminary never replaces a final, nor a final a correction. */
const statusRank = { preliminary: 0, final: 1, corrected: 2 } as const;

/**
 * lab_result_available for a patient, whoever published it (the hub's lab
 * service, an analyzer driver, a result typed in). Results an analyzer
 * could not match to a patient (keyed by the facility) and quality-control
 * runs are not on a chart. A result id's latest status is shown; one that
 * arrives late with an earlier status (preliminary after final) joins the
 * history without replacing what the clinician sees (docs/devices.md#result-identity).
 */
export const labResultsProjection: Projection<LabResultsDoc> = {
  name: 'labResults',
  version: 2,
  docIdsOf: (event) =>
    event.eventType === 'lab_result_available' && event.patientId && event.data.qc === undefined
      ? [event.patientId]
      : [],
  evolve(doc, event) {
    if (event.eventType !== 'lab_result_available') return doc;
    const data = dataOf<Omit<LabResult, 'statusHistory'>>(event);
    const results = doc?.results ?? [];
    const earlier = results.find((result) => result.resultId === data.resultId);
    const step = { resultStatus: data.resultStatus, value: data.value, reportedAt: data.reportedAt };
    const statusHistory = [...(earlier?.statusHistory ?? []), step];
    const late = earlier !== undefined && statusRank[data.resultStatus] < statusRank[earlier.resultStatus];
    const result: LabResult = late ? { ...earlier, statusHistory } : { ...data, statusHistory };
    return {
      patientId: event.patientId!,
      results: earlier
        ? results.map((entry) => (entry.resultId === data.resultId ? result : entry))
        : [...results, result],
    };
  },
};
