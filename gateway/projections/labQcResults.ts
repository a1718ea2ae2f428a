import { dataOf, type Projection } from './projection.ts';

/** One quality-control result of an analyzer, as technicians review it. */
export interface QcResult {
  resultId: string;
  testCode: string;
  testName: string;
  value: number | string;
  comparator?: '<' | '<=' | '>' | '>=' | '=';
  unit?: string;
  flags?: string[];
  resultStatus: 'preliminary' | 'final' | 'corrected';
  qc: { control?: string; level?: string; lot?: string };
  note?: string;
  observedAt: string;
}

/** An analyzer's latest quality-control results, newest first. */
export interface LabQcResultsDoc {
  deviceId: string;
  results: QcResult[];
}

/** How many QC results are kept per analyzer: a few weeks of daily controls on every channel. */
export const qcResultsKept = 500;

/**
 * Quality-control runs (lab_result_available with `qc`) per analyzer: never
 * on a chart nor in the critical-value rules, but visible to the technicians
 * who must act on a failed control (docs/devices.md#quality-control-results).
 */
export const labQcResultsProjection: Projection<LabQcResultsDoc> = {
  name: 'labQcResults',
  version: 1,
  docIdsOf: (event) => {
    if (event.eventType !== 'lab_result_available' || event.data.qc === undefined) return [];
    const deviceId = event.data.deviceId;
    return [typeof deviceId === 'string' ? deviceId : 'unknown'];
  },
  evolve(doc, event) {
    const data = dataOf<QcResult & { deviceId?: string }>(event);
    const result: QcResult = {
      resultId: data.resultId,
      testCode: data.testCode,
      testName: data.testName,
      value: data.value,
      ...(data.comparator ? { comparator: data.comparator } : {}),
      ...(data.unit ? { unit: data.unit } : {}),
      ...(data.flags ? { flags: data.flags } : {}),
      resultStatus: data.resultStatus,
      qc: data.qc,
      ...(data.note ? { note: data.note } : {}),
      observedAt: data.observedAt,
    };
    const kept = (doc?.results ?? []).filter((earlier) => earlier.resultId !== result.resultId);
    return { deviceId: data.deviceId ?? 'unknown', results: [result, ...kept].slice(0, qcResultsKept) };
  },
};
