import { isCriticalFlag } from '../../kernel/clinical/analyzerFlags.ts';
import type { News2Score } from '../../kernel/clinical/news2.ts';
import type { HandoverPatient } from '../http/apiContract.ts';
import type { LabPriority } from '../labOrders/labTestCatalogue.ts';
import { isOpen } from '../labOrders/orderLifecycle.ts';
import type { AlertDoc } from '../projections/alerts.ts';
import type { DiagnosisEntry } from '../projections/diagnoses.ts';
import type { LabOrderView } from '../projections/labOrders.ts';
import type { LabResult } from '../projections/labResults.ts';
import type { Prescription } from '../projections/medications.ts';
import type { PatientDoc } from '../projections/patients.ts';
import type { News2HourPoint } from '../trends/news2Hourly.ts';
import { dueAtOf } from '../rules/labOrderOverdue.ts';

/** What the read models hold of one admitted patient, gathered by the route. */
export interface PatientSources {
  patient: PatientDoc;
  news2: News2Score;
  trend: News2HourPoint[];
  alerts: AlertDoc[];
  labResults: LabResult[];
  labOrders: LabOrderView[];
  prescriptions: Prescription[];
  diagnoses: DiagnosisEntry[];
  encounterNotes?: string;
}

/** The shift: what counts as new starts at `since`; `now` decides overdue and age. */
export interface ShiftWindow {
  since: Date;
  now: Date;
  dueMinutes: Partial<Record<LabPriority, number>>;
}

/** One patient's handover block: the state now and what changed since the shift began (docs/ui.md#shift-handover). */
export function patientHandover(sources: PatientSources, shift: ShiftWindow): HandoverPatient {
  const { patient } = sources;
  const age = ageYears(patient.birthDate, shift.now);
  return {
    patientId: patient.patientId,
    ...(patient.ward ? { ward: patient.ward } : {}),
    ...(patient.bed ? { bed: patient.bed } : {}),
    name: [patient.firstName, patient.fatherName, patient.lastName].filter(Boolean).join(' '),
    ...(patient.patientMRN ? { patientMRN: patient.patientMRN } : {}),
    sex: patient.sex,
    ...(age !== undefined ? { ageYears: age } : {}),
    news2: sources.news2,
    trend: sources.trend,
    alerts: openAlerts(sources.alerts),
    labResults: newLabResults(sources.labResults, shift.since),
    labOrders: openLabOrders(sources.labOrders, shift),
    medications: activeMedications(sources.prescriptions),
    given: givenDuring(sources.prescriptions, shift.since),
    ...(sources.encounterNotes ? { encounterNotes: sources.encounterNotes } : {}),
    diagnoses: diagnosisChanges(sources.diagnoses, shift.since),
  };
}

/** Whole years from the birth date; undefined without one. */
export function ageYears(birthDate: string | undefined, now: Date): number | undefined {
  if (!birthDate) return undefined;
  const born = new Date(birthDate);
  if (Number.isNaN(born.getTime())) return undefined;
  let years = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < born.getUTCMonth() ||
    (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) years -= 1;
  return Math.max(0, years);
}

const since = (at: string | undefined, from: Date) => at !== undefined && Date.parse(at) >= from.getTime();
const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);

function openAlerts(alerts: AlertDoc[]): HandoverPatient['alerts'] {
  return alerts
    .filter((alert) => alert.status === 'active' || alert.status === 'acknowledged')
    .sort((a, b) => byTime(a.raisedAt, b.raisedAt))
    .map((alert) => ({
      alertId: alert.alertId,
      parameter: alert.parameter,
      ...(alert.value !== undefined ? { value: alert.value } : {}),
      ...(alert.valueText !== undefined ? { valueText: alert.valueText } : {}),
      ...(alert.unit ? { unit: alert.unit } : {}),
      ...(alert.direction ? { direction: alert.direction } : {}),
      severity: alert.severity,
      priority: alert.priority,
      status: alert.status as 'active' | 'acknowledged',
      raisedAt: alert.raisedAt,
      ...(alert.acknowledgedAt ? { acknowledgedAt: alert.acknowledgedAt } : {}),
      ...(alert.acknowledgedBy ? { acknowledgedBy: alert.acknowledgedBy } : {}),
    }));
}

function newLabResults(results: LabResult[], from: Date): HandoverPatient['labResults'] {
  return results
    .filter((result) => since(result.reportedAt, from))
    .map((result) => ({
      resultId: result.resultId,
      testCode: result.testCode,
      testName: result.testName,
      value: result.value,
      ...(result.comparator ? { comparator: result.comparator } : {}),
      ...(result.unit ? { unit: result.unit } : {}),
      flags: result.flags ?? [],
      critical: (result.flags ?? []).some(isCriticalFlag),
      resultStatus: result.resultStatus,
      reportedAt: result.reportedAt,
    }))
    .sort((a, b) => Number(b.critical) - Number(a.critical) || byTime(b.reportedAt, a.reportedAt));
}

function openLabOrders(orders: LabOrderView[], shift: ShiftWindow): HandoverPatient['labOrders'] {
  return orders
    .filter((order) => isOpen(order.status))
    .map((order) => {
      const dueAt = dueAtOf(order, shift.dueMinutes);
      return {
        orderId: order.orderId,
        tests: order.tests.map((test) => test.testName),
        priority: order.priority,
        status: order.status as HandoverPatient['labOrders'][number]['status'],
        orderedAt: order.orderedAt,
        ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
        overdue: dueAt !== undefined && shift.now.getTime() >= dueAt.getTime(),
      };
    })
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || byTime(a.orderedAt, b.orderedAt));
}

function activeMedications(prescriptions: Prescription[]): HandoverPatient['medications'] {
  return prescriptions
    .filter((prescription) => prescription.status === 'active')
    .map((prescription) => {
      const lastGivenAt = prescription.administrations
        .filter((entry) => entry.status === 'given')
        .map((entry) => entry.administeredAt)
        .sort(byTime)
        .at(-1);
      return {
        medicationRequestId: prescription.medicationRequestId,
        drugName: prescription.drugName,
        dose: prescription.dose,
        route: prescription.route,
        frequency: prescription.frequency,
        ...(lastGivenAt ? { lastGivenAt } : {}),
      };
    });
}

function givenDuring(prescriptions: Prescription[], from: Date): HandoverPatient['given'] {
  return prescriptions
    .flatMap((prescription) =>
      prescription.administrations
        .filter((entry) => since(entry.administeredAt, from))
        .map((entry) => ({
          administrationId: entry.administrationId,
          drugName: prescription.drugName,
          status: entry.status,
          ...(entry.doseGiven ? { doseGiven: entry.doseGiven } : {}),
          ...(entry.reason ? { reason: entry.reason } : {}),
          administeredAt: entry.administeredAt,
          ...(entry.by ? { by: entry.by } : {}),
        })),
    )
    .sort((a, b) => byTime(a.administeredAt, b.administeredAt));
}

/** The latest change of each diagnosis made since the shift began. */
function diagnosisChanges(diagnoses: DiagnosisEntry[], from: Date): HandoverPatient['diagnoses'] {
  return diagnoses.flatMap((entry) => {
    const change = since(entry.resolvedAt, from)
      ? { change: 'resolved' as const, at: entry.resolvedAt! }
      : since(entry.updatedAt, from)
        ? { change: 'updated' as const, at: entry.updatedAt! }
        : since(entry.recordedAt, from)
          ? { change: 'added' as const, at: entry.recordedAt }
          : undefined;
    if (!change) return [];
    const { diagnosisId, code, display, clinicalStatus } = entry;
    return [{ diagnosisId, code, display, clinicalStatus, ...change }];
  });
}
