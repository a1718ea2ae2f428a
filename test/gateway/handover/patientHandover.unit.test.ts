import { describe, expect, it } from 'vitest';
import { news2Score } from '../../../kernel/clinical/news2.ts';
import { ageYears, type PatientSources, patientHandover } from '../../../gateway/handover/patientHandover.ts';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import type { LabResult } from '../../../gateway/projections/labResults.ts';
import type { LabOrderView } from '../../../gateway/projections/labOrders.ts';
import type { Prescription } from '../../../gateway/projections/medications.ts';

// Day shift from 07:00 Khartoum (05:00 UTC); the handover is read at 18:45 Khartoum.
const shift = {
  since: new Date('2026-11-26T05:00:00Z'),
  now: new Date('2026-11-26T16:45:00Z'),
  dueMinutes: { stat: 60, urgent: 240 },
};
const before = '2026-11-26T04:00:00.000Z';
const during = (hour: number) => `2026-11-26T${String(hour).padStart(2, '0')}:00:00.000Z`;

const alert = (alertId: string, status: AlertDoc['status'], raisedAt: string): AlertDoc => ({
  alertId,
  subjectId: 'p-1',
  patientId: 'p-1',
  parameter: 'oxygenSaturation',
  value: 88,
  unit: '%',
  threshold: 91,
  direction: 'low',
  severity: 'critical',
  priority: 'high',
  ruleId: 'spo2-low',
  detectedAt: raisedAt,
  raisedAt,
  status,
  escalationLevel: 0,
});

const result = (resultId: string, reportedAt: string, flags?: string[]): LabResult => ({
  resultId,
  specimen: { specimenId: 'S1', type: 'blood' },
  testCode: resultId,
  testName: `Test ${resultId}`,
  value: 5,
  ...(flags ? { flags } : {}),
  resultStatus: 'final',
  observedAt: reportedAt,
  reportedAt,
  statusHistory: [],
});

const order = (
  orderId: string,
  priority: LabOrderView['priority'],
  status: LabOrderView['status'],
  orderedAt: string,
) =>
  ({
    orderId,
    patientId: 'p-1',
    tests: [{ testCode: 'K', testName: 'Potassium' }],
    priority,
    orderedAt,
    status,
    results: [],
  }) as LabOrderView;

const ceftriaxone: Prescription = {
  medicationRequestId: 'm-1',
  drugName: 'Ceftriaxone',
  dose: { value: 1, unit: 'g' },
  route: 'IV',
  frequency: 'every 24 hours',
  prescribedAt: before,
  status: 'active',
  administrations: [
    { administrationId: 'a-old', status: 'given', administeredAt: '2026-11-25T09:00:00.000Z' },
    { administrationId: 'a-new', status: 'given', administeredAt: during(9), by: 'Nurse Huda' },
  ],
};
const paracetamol: Prescription = {
  medicationRequestId: 'm-2',
  drugName: 'Paracetamol',
  dose: { value: 1, unit: 'g' },
  route: 'PO',
  frequency: 'every 6 hours',
  prescribedAt: before,
  status: 'discontinued',
  administrations: [
    { administrationId: 'a-held', status: 'held', reason: 'nil by mouth', administeredAt: during(7) },
  ],
};

const sources = (overrides: Partial<PatientSources> = {}): PatientSources => ({
  patient: {
    patientId: 'p-1',
    patientMRN: 'MRN-7',
    firstName: 'Amna',
    fatherName: 'Ali',
    lastName: 'Osman',
    sex: 'female',
    birthDate: '1960-12-01',
    registeredAt: before,
    updatedAt: before,
    status: 'admitted',
    ward: 'Ward A',
    bed: 'A3',
  },
  news2: news2Score({ respiratoryRate: 22, oxygenSaturation: 95 }),
  trend: [{ t: during(15), total: 5, band: 'medium' }],
  alerts: [],
  labResults: [],
  labOrders: [],
  prescriptions: [],
  diagnoses: [],
  ...overrides,
});

describe("a patient's handover block", () => {
  it('names the patient, the bed and the age, and carries the NEWS2 now with what is missing and its trend', () => {
    const block = patientHandover(sources(), shift);
    expect(block).toMatchObject({
      patientId: 'p-1',
      ward: 'Ward A',
      bed: 'A3',
      name: 'Amna Ali Osman',
      patientMRN: 'MRN-7',
      sex: 'female',
      ageYears: 65,
      trend: [{ t: during(15), total: 5, band: 'medium' }],
    });
    expect(block.news2.complete).toBe(false);
    expect(block.news2.missing).toContain('temperature');
  });

  it('lists the open alerts oldest first, with who acknowledged one, and leaves resolved alerts out', () => {
    const acknowledged: AlertDoc = {
      ...alert('al-2', 'acknowledged', during(6)),
      acknowledgedAt: during(7),
      acknowledgedBy: { userId: 'u-1', userName: 'Huda', userRole: 'nurse' },
    };
    const block = patientHandover(
      sources({
        alerts: [alert('al-3', 'active', during(10)), alert('al-1', 'resolved', during(5)), acknowledged],
      }),
      shift,
    );
    expect(block.alerts.map((entry) => [entry.alertId, entry.status])).toEqual([
      ['al-2', 'acknowledged'],
      ['al-3', 'active'],
    ]);
    expect(block.alerts[0]?.acknowledgedBy).toEqual({ userId: 'u-1', userName: 'Huda', userRole: 'nurse' });
  });

  it('shows the lab results reported since the shift began, critical first, then newest first', () => {
    const block = patientHandover(
      sources({
        labResults: [
          result('old', before, ['HH']),
          result('normal-early', during(6)),
          result('high', during(8), ['H']),
          result('critical', during(7), ['LL']),
        ],
      }),
      shift,
    );
    expect(block.labResults.map((entry) => [entry.resultId, entry.critical])).toEqual([
      ['critical', true],
      ['high', false],
      ['normal-early', false],
    ]);
  });

  it('lists the open lab orders with the overdue first, and leaves resulted and cancelled orders out', () => {
    const block = patientHandover(
      sources({
        labOrders: [
          order('routine', 'routine', 'ordered', during(6)),
          order('stat-late', 'stat', 'collected', during(14)),
          order('done', 'stat', 'resulted', during(6)),
          order('gone', 'urgent', 'cancelled', during(6)),
          order('urgent-fresh', 'urgent', 'in_progress', during(16)),
        ],
      }),
      shift,
    );
    expect(block.labOrders.map((entry) => [entry.orderId, entry.overdue])).toEqual([
      ['stat-late', true],
      ['routine', false],
      ['urgent-fresh', false],
    ]);
    expect(block.labOrders[0]).toMatchObject({ dueAt: during(15), tests: ['Potassium'] });
    expect(block.labOrders[1]?.dueAt).toBeUndefined();
  });

  it('lists the active prescriptions with the last dose given, and every dose given, held or refused in the shift', () => {
    const block = patientHandover(sources({ prescriptions: [ceftriaxone, paracetamol] }), shift);
    expect(block.medications).toEqual([
      {
        medicationRequestId: 'm-1',
        drugName: 'Ceftriaxone',
        dose: { value: 1, unit: 'g' },
        route: 'IV',
        frequency: 'every 24 hours',
        lastGivenAt: during(9),
      },
    ]);
    expect(block.given.map((entry) => [entry.drugName, entry.status])).toEqual([
      ['Paracetamol', 'held'],
      ['Ceftriaxone', 'given'],
    ]);
  });

  it("carries the admission's notes and the diagnoses added, changed or resolved in the shift", () => {
    const diagnosis = {
      code: 'J18.9',
      display: 'Pneumonia',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
    };
    const block = patientHandover(
      sources({
        encounterNotes: 'Oxygen weaned to 2 L',
        diagnoses: [
          { ...diagnosis, diagnosisId: 'd-old', recordedAt: before },
          { ...diagnosis, diagnosisId: 'd-new', recordedAt: during(8) },
          { ...diagnosis, diagnosisId: 'd-changed', recordedAt: before, updatedAt: during(9) },
          {
            ...diagnosis,
            diagnosisId: 'd-over',
            clinicalStatus: 'resolved',
            recordedAt: before,
            resolvedAt: during(10),
          },
        ],
      }),
      shift,
    );
    expect(block.encounterNotes).toBe('Oxygen weaned to 2 L');
    expect(block.diagnoses.map((entry) => [entry.diagnosisId, entry.change, entry.at])).toEqual([
      ['d-new', 'added', during(8)],
      ['d-changed', 'updated', during(9)],
      ['d-over', 'resolved', during(10)],
    ]);
  });
});

describe('the age shown', () => {
  it('counts whole years, a day before the birthday one less', () => {
    expect(ageYears('2000-11-27', new Date('2026-11-26T12:00:00Z'))).toBe(25);
    expect(ageYears('2000-11-26', new Date('2026-11-26T12:00:00Z'))).toBe(26);
    expect(ageYears(undefined, new Date())).toBeUndefined();
  });
});
