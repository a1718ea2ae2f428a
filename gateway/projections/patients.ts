import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { sudanStates } from '../../kernel/events/schemas/common.ts';
import { dataOf, type Projection } from './projection.ts';

export interface PatientDoc {
  patientId: string;
  patientMRN?: string;
  firstName: string;
  lastName: string;
  fatherName?: string;
  grandfatherName?: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  birthDate?: string;
  /** Encrypted as stored in the log (enc:v1:...); the API masks or decrypts it. */
  sudanNationalId?: string;
  phone?: string;
  address?: string;
  locality?: string;
  sudanState?: (typeof sudanStates)[number];
  preferredLanguage?: 'ar' | 'en';
  allergies?: string[];
  registeredAt: string;
  updatedAt: string;
  status: 'registered' | 'admitted' | 'discharged';
  encounterId?: string;
  ward?: string;
  bed?: string;
}

type Demographics = Omit<
  PatientDoc,
  'patientId' | 'patientMRN' | 'registeredAt' | 'updatedAt' | 'status' | 'encounterId' | 'ward' | 'bed'
>;

const patientTypes = new Set([
  'patient_registered',
  'patient_updated',
  'patient_admitted',
  'patient_transferred',
  'patient_discharged',
]);

export const patientsProjection: Projection<PatientDoc> = {
  name: 'patients',
  version: 1,
  docIdsOf: (event) => (patientTypes.has(event.eventType) && event.patientId ? [event.patientId] : []),
  evolve(doc, event) {
    switch (event.eventType) {
      case 'patient_registered': {
        const data = dataOf<Demographics & { registeredAt: string }>(event);
        return {
          ...data,
          patientId: event.patientId!,
          ...(event.patientMRN ? { patientMRN: event.patientMRN } : {}),
          registeredAt: data.registeredAt,
          updatedAt: event.timestamp,
          status: 'registered',
        };
      }
      case 'patient_updated':
        return (
          doc && {
            ...doc,
            ...dataOf<{ changes: Partial<Demographics> }>(event).changes,
            updatedAt: event.timestamp,
          }
        );
      case 'patient_admitted': {
        const data = dataOf<{ encounterId: string; ward: string; bed?: string }>(event);
        return (
          doc &&
          withPlace(
            { ...doc, status: 'admitted', encounterId: data.encounterId, updatedAt: event.timestamp },
            data.ward,
            data.bed,
          )
        );
      }
      case 'patient_transferred': {
        const data = dataOf<{ toWard: string; toBed?: string }>(event);
        return doc && withPlace({ ...doc, updatedAt: event.timestamp }, data.toWard, data.toBed);
      }
      case 'patient_discharged': {
        if (!doc) return doc;
        const { encounterId: _e, ward: _w, bed: _b, ...rest } = doc;
        return { ...rest, status: 'discharged', updatedAt: event.timestamp };
      }
      default:
        return doc;
    }
  },
};

function withPlace(doc: PatientDoc, ward: string, bed: string | undefined): PatientDoc {
  const { bed: _old, ...rest } = doc;
  return bed === undefined ? { ...rest, ward } : { ...rest, ward, bed };
}

export function isPatientEvent(event: ClinicalEvent): boolean {
  return patientTypes.has(event.eventType);
}
