import { dataOf, type Projection } from './projection.ts';

export interface LabResult {
  resultId: string;
  orderId?: string;
  specimen: { specimenId: string; type: string; collectedAt?: string };
  testCode: string;
  testName: string;
  value: number | string;
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

/**
 * lab_result_available for a patient, whoever published it (the hub's lab
 * service, an analyzer driver, a result typed in). Results an analyzer
 * could not match to a patient (keyed by the facility) are not on a chart.
 */
export const labResultsProjection: Projection<LabResultsDoc> = {
  name: 'labResults',
  version: 1,
  docIdsOf: (event) =>
    event.eventType === 'lab_result_available' && event.patientId ? [event.patientId] : [],
  evolve(doc, event) {
    if (event.eventType !== 'lab_result_available') return doc;
    const data = dataOf<Omit<LabResult, 'statusHistory'>>(event);
    const results = doc?.results ?? [];
    const earlier = results.find((result) => result.resultId === data.resultId);
    const step = { resultStatus: data.resultStatus, value: data.value, reportedAt: data.reportedAt };
    const result: LabResult = { ...data, statusHistory: [...(earlier?.statusHistory ?? []), step] };
    return {
      patientId: event.patientId!,
      results: earlier
        ? results.map((entry) => (entry.resultId === data.resultId ? result : entry))
        : [...results, result],
    };
  },
};
