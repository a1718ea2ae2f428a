import { describe, expect, it } from 'vitest';
import { labQcResultsProjection } from '../../../gateway/projections/labQcResults.ts';
import { labResultsProjection } from '../../../gateway/projections/labResults.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const build = eventBuilder({ start: '2026-12-01T08:00:00.000Z', stepSeconds: 60 });
const result = (resultStatus: string, value: number, extra: Record<string, unknown> = {}) =>
  build.labResultAvailable(
    {
      resultId: 'lr-k-1',
      specimen: { specimenId: 'S-1', type: 'serum' },
      testCode: 'K',
      testName: 'Potassium',
      value,
      unit: 'mmol/L',
      resultStatus,
      ...(resultStatus === 'corrected' ? { note: 'recalibrated' } : {}),
      deviceId: 'chem-1',
      observedAt: '2026-12-01T07:55:00.000Z',
      reportedAt: '2026-12-01T08:00:00.000Z',
      ...extra,
    },
    { patientId: 'p-1' },
  );

describe("a patient's lab results", () => {
  it('shows the final value once it comes, and keeps the preliminary in the history', () => {
    projectionSpec(labResultsProjection)
      .given(result('preliminary', 5.9), result('final', 6.1))
      .thenDocMatches('p-1', {
        results: [
          {
            resultId: 'lr-k-1',
            value: 6.1,
            resultStatus: 'final',
            statusHistory: [expect.objectContaining({ value: 5.9 }), expect.objectContaining({ value: 6.1 })],
          },
        ],
      });
  });

  it('never lets a preliminary that arrives late replace the final the clinician acted on', () => {
    const doc = projectionSpec(labResultsProjection)
      .given(result('final', 6.1), result('preliminary', 5.9))
      .doc('p-1');
    expect(doc.results[0]).toMatchObject({ value: 6.1, resultStatus: 'final' });
    expect(doc.results[0]!.statusHistory.map((step) => step.resultStatus)).toEqual(['final', 'preliminary']);
  });

  it('shows a correction over the final', () => {
    projectionSpec(labResultsProjection)
      .given(result('final', 6.1), result('corrected', 4.2))
      .thenDocMatches('p-1', { results: [{ value: 4.2, resultStatus: 'corrected', note: 'recalibrated' }] });
  });

  it('keeps quality-control runs off every chart and lists them per analyzer for technicians', () => {
    const qc = result('final', 4.0, {
      qc: { control: 'CTRL MEDIUM', level: 'MEDIUM' },
      note: 'CONTROL_FAILED',
    });
    projectionSpec(labResultsProjection).given(qc).thenTouches([]);
    projectionSpec(labQcResultsProjection)
      .given(qc)
      .thenDocMatches('chem-1', {
        deviceId: 'chem-1',
        results: [{ testCode: 'K', value: 4.0, qc: { control: 'CTRL MEDIUM' }, note: 'CONTROL_FAILED' }],
      });
    projectionSpec(labQcResultsProjection).given(result('final', 4.0)).thenTouches([]);
  });
});
