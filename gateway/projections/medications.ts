import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { dataOf, type Projection } from './projection.ts';

export interface Dose {
  value: number;
  unit: string;
}

export interface Administration {
  administrationId: string;
  status: 'given' | 'held' | 'refused';
  doseGiven?: Dose;
  route?: string;
  site?: string;
  reason?: string;
  administeredAt: string;
  by?: string;
}

export interface Prescription {
  medicationRequestId: string;
  encounterId?: string;
  drugName: string;
  atcCode?: string;
  formularyCode?: string;
  strength?: string;
  dose: Dose;
  route: string;
  frequency: string;
  duration?: { value: number; unit: string };
  diagnosisId?: string;
  indication?: string;
  instructions?: string;
  startsAt?: string;
  prescribedAt: string;
  prescribedBy?: string;
  status: 'active' | 'discontinued';
  discontinuedAt?: string;
  discontinuedReason?: string;
  administrations: Administration[];
}

/** A patient's medication chart: each prescription with the doses given, held or refused. */
export interface MedicationsDoc {
  patientId: string;
  prescriptions: Prescription[];
}

const medicationTypes = new Set([
  'medication_prescribed',
  'medication_administered',
  'medication_discontinued',
]);

export const medicationsProjection: Projection<MedicationsDoc> = {
  name: 'medications',
  version: 1,
  docIdsOf: (event) => (medicationTypes.has(event.eventType) && event.patientId ? [event.patientId] : []),
  evolve(doc, event) {
    const prescriptions = doc?.prescriptions ?? [];
    switch (event.eventType) {
      case 'medication_prescribed': {
        const data = dataOf<Omit<Prescription, 'status' | 'administrations' | 'prescribedBy'>>(event);
        if (prescriptions.some((entry) => entry.medicationRequestId === data.medicationRequestId)) return doc;
        const prescription: Prescription = {
          ...data,
          ...by(event, 'prescribedBy'),
          status: 'active',
          administrations: [],
        };
        return { patientId: event.patientId!, prescriptions: [...prescriptions, prescription] };
      }
      case 'medication_administered': {
        const {
          medicationRequestId,
          drugName: _drug,
          ...given
        } = dataOf<Administration & { medicationRequestId: string; drugName?: string }>(event);
        const administration: Administration = { ...given, ...by(event, 'by') };
        return (
          doc && {
            ...doc,
            prescriptions: changed(prescriptions, medicationRequestId, (entry) => ({
              administrations: [...entry.administrations, administration],
            })),
          }
        );
      }
      case 'medication_discontinued': {
        const { medicationRequestId, reason, discontinuedAt } = dataOf<{
          medicationRequestId: string;
          reason: string;
          discontinuedAt: string;
        }>(event);
        return (
          doc && {
            ...doc,
            prescriptions: changed(prescriptions, medicationRequestId, () => ({
              status: 'discontinued',
              discontinuedAt,
              discontinuedReason: reason,
            })),
          }
        );
      }
      default:
        return doc;
    }
  },
};

function changed(
  prescriptions: readonly Prescription[],
  medicationRequestId: string,
  change: (entry: Prescription) => Partial<Prescription>,
): Prescription[] {
  return prescriptions.map((entry) =>
    entry.medicationRequestId === medicationRequestId ? { ...entry, ...change(entry) } : entry,
  );
}

/** The acting user's id (names stay in the log's envelope). */
function by<K extends string>(event: ClinicalEvent, key: K): Partial<Record<K, string>> {
  return event.userId ? ({ [key]: event.userId } as Record<K, string>) : {};
}
