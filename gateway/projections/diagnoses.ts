import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { dataOf, type Projection } from './projection.ts';

export interface DiagnosisEntry {
  diagnosisId: string;
  encounterId?: string;
  code: string;
  display: string;
  clinicalStatus: string;
  verificationStatus: string;
  category?: string;
  primary?: boolean;
  severity?: string;
  onset?: string;
  note?: string;
  recordedAt: string;
  /** Who recorded it: the envelope's actor. */
  recordedBy?: { userId: string; userName?: string; userRole?: string };
  updatedAt?: string;
  resolvedAt?: string;
  abatement?: string;
}

/** A patient's diagnoses (the problem list and each visit's diagnoses), in the order they were recorded. */
export interface DiagnosesDoc {
  patientId: string;
  diagnoses: DiagnosisEntry[];
}

const diagnosisTypes = new Set(['diagnosis_added', 'diagnosis_updated', 'diagnosis_resolved']);

export const diagnosesProjection: Projection<DiagnosesDoc> = {
  name: 'diagnoses',
  version: 1,
  docIdsOf: (event) => (diagnosisTypes.has(event.eventType) && event.patientId ? [event.patientId] : []),
  evolve(doc, event) {
    const diagnoses = doc?.diagnoses ?? [];
    switch (event.eventType) {
      case 'diagnosis_added': {
        const data = dataOf<Omit<DiagnosisEntry, 'recordedBy'>>(event);
        if (diagnoses.some((entry) => entry.diagnosisId === data.diagnosisId)) return doc;
        return { patientId: event.patientId!, diagnoses: [...diagnoses, { ...data, ...actorOf(event) }] };
      }
      case 'diagnosis_updated': {
        const { reason: _reason, ...changes } = dataOf<
          Partial<DiagnosisEntry> & { diagnosisId: string; reason?: string }
        >(event);
        return doc && { ...doc, diagnoses: changed(diagnoses, changes.diagnosisId, changes) };
      }
      case 'diagnosis_resolved': {
        const { diagnosisId, clinicalStatus, abatement, note, resolvedAt } = dataOf<{
          diagnosisId: string;
          clinicalStatus: string;
          abatement?: string;
          note?: string;
          resolvedAt: string;
        }>(event);
        const change = {
          clinicalStatus,
          resolvedAt,
          ...(abatement ? { abatement } : {}),
          ...(note ? { note } : {}),
        };
        return doc && { ...doc, diagnoses: changed(diagnoses, diagnosisId, change) };
      }
      default:
        return doc;
    }
  },
};

function changed(
  diagnoses: readonly DiagnosisEntry[],
  diagnosisId: string,
  change: Partial<DiagnosisEntry>,
): DiagnosisEntry[] {
  return diagnoses.map((entry) => (entry.diagnosisId === diagnosisId ? { ...entry, ...change } : entry));
}

function actorOf(event: ClinicalEvent): Pick<DiagnosisEntry, 'recordedBy'> {
  if (!event.userId) return {};
  return {
    recordedBy: {
      userId: event.userId,
      ...(event.userName ? { userName: event.userName } : {}),
      ...(event.userRole ? { userRole: event.userRole } : {}),
    },
  };
}
