import { dataOf, type Projection } from './projection.ts';

/** The data of patient_transferred, as recorded. */
export interface EncounterTransfer {
  encounterId: string;
  fromWard?: string;
  fromBed?: string;
  toWard: string;
  toBed?: string;
  toFacilityId?: string;
  reason?: string;
  transferredAt: string;
}

/** encounter_updated's attendingPhysician: the gateway user's id when there is one, and the name shown. */
export interface AttendingPhysician {
  practitionerId?: string;
  display: string;
}

export interface EncounterDoc {
  encounterId: string;
  patientId: string;
  encounterClass: string;
  /** FHIR Encounter.status words: in-progress while open, finished when closed, cancelled if the admission was undone. */
  status: 'in-progress' | 'finished' | 'cancelled';
  ward?: string;
  bed?: string;
  reason?: string;
  /** Set by encounter_updated. */
  notes?: string;
  /** The NEWS2 SpO2 scale a clinician chose (encounter_updated 1.1); absent means scale 1. */
  news2Spo2Scale?: 1 | 2;
  news2Spo2ScaleReason?: string;
  /** The physician responsible: named at admission (patient_admitted), changed by encounter_updated. */
  attendingPhysician?: AttendingPhysician;
  startedAt: string;
  admittedAt?: string;
  transfers: EncounterTransfer[];
  dischargedAt?: string;
  disposition?: string;
  closedAt?: string;
  closeReason?: string;
}

const encounterTypes = new Set([
  'encounter_created',
  'encounter_updated',
  'encounter_closed',
  'patient_admitted',
  'patient_transferred',
  'patient_discharged',
]);

export const encountersProjection: Projection<EncounterDoc> = {
  name: 'encounters',
  version: 1,
  docIdsOf(event) {
    const encounterId = (event.data as { encounterId?: unknown }).encounterId;
    return encounterTypes.has(event.eventType) && typeof encounterId === 'string' ? [encounterId] : [];
  },
  evolve(doc, event) {
    switch (event.eventType) {
      case 'encounter_created': {
        const data = dataOf<{
          encounterId: string;
          encounterClass: string;
          ward?: string;
          bed?: string;
          reason?: string;
          startedAt: string;
        }>(event);
        return { ...data, patientId: event.patientId!, status: 'in-progress', transfers: [] };
      }
      case 'encounter_updated': {
        const { updatedAt: _u, ...changes } = dataOf<Partial<EncounterDoc> & { updatedAt: string }>(event);
        return doc && { ...doc, ...changes };
      }
      case 'patient_admitted': {
        const data = dataOf<{ ward: string; bed?: string; attendingPhysician?: string; admittedAt: string }>(
          event,
        );
        return (
          doc && {
            ...doc,
            ward: data.ward,
            ...(data.bed ? { bed: data.bed } : {}),
            ...(data.attendingPhysician ? { attendingPhysician: { display: data.attendingPhysician } } : {}),
            admittedAt: data.admittedAt,
          }
        );
      }
      case 'patient_transferred': {
        const data = dataOf<EncounterTransfer>(event);
        if (!doc) return doc;
        const { bed: _old, ...rest } = doc;
        return {
          ...rest,
          ward: data.toWard,
          ...(data.toBed ? { bed: data.toBed } : {}),
          transfers: [...doc.transfers, data],
        };
      }
      case 'patient_discharged': {
        const data = dataOf<{ dischargedAt: string; disposition: string }>(event);
        return doc && { ...doc, dischargedAt: data.dischargedAt, disposition: data.disposition };
      }
      case 'encounter_closed': {
        const data = dataOf<{ closedAt: string; reason: string }>(event);
        const status = data.reason === 'admission_cancelled' ? 'cancelled' : 'finished';
        return doc && { ...doc, status, closedAt: data.closedAt, closeReason: data.reason };
      }
      default:
        return doc;
    }
  },
};
