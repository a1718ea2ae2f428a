import type { EventTypeSpec } from '../eventTypeSpec.ts';
import {
  date,
  dateTime,
  id,
  objectOf,
  phiField,
  phonePattern,
  sudanNationalIdPattern,
  sudanStates,
  text,
} from './common.ts';

const publishers = ['ehr-service', 'gateway-service'];

const demographics = {
  firstName: text(100),
  lastName: text(100),
  fatherName: text(100),
  grandfatherName: text(100),
  sex: { type: 'string', enum: ['female', 'male', 'other', 'unknown'] },
  birthDate: date,
  sudanNationalId: phiField(sudanNationalIdPattern),
  phone: phiField(phonePattern),
  address: text(300),
  locality: text(100),
  sudanState: { type: 'string', enum: sudanStates },
  preferredLanguage: { type: 'string', enum: ['ar', 'en'] },
  allergies: { type: 'array', maxItems: 50, items: text(200) },
} as const;

export const patientEvents: EventTypeSpec[] = [
  {
    eventType: 'patient_registered',
    version: '1.0',
    topic: 'patient-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A new patient was registered at the facility.',
    publishers,
    encryptedFields: ['sudanNationalId', 'phone'],
    dataSchema: objectOf(['firstName', 'lastName', 'sex', 'registeredAt'], {
      ...demographics,
      registeredAt: dateTime,
    }),
  },
  {
    eventType: 'patient_updated',
    version: '1.0',
    topic: 'patient-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'Demographic details of a patient changed; only the changed fields are present.',
    publishers,
    encryptedFields: ['sudanNationalId', 'phone'],
    dataSchema: {
      ...objectOf(['changes', 'updatedAt'], {
        changes: { ...objectOf([], demographics), minProperties: 1 },
        updatedAt: dateTime,
      }),
    },
  },
  {
    eventType: 'patient_admitted',
    version: '1.0',
    topic: 'patient-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'The patient was admitted to a ward (and bed) under an encounter.',
    publishers,
    dataSchema: objectOf(['encounterId', 'ward', 'admittedAt'], {
      encounterId: id,
      ward: text(64),
      bed: text(32),
      reason: text(500),
      attendingPhysician: text(128),
      admittedAt: dateTime,
    }),
  },
  {
    eventType: 'patient_transferred',
    version: '1.0',
    topic: 'patient-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'The patient moved to another ward or bed (or another facility).',
    publishers,
    dataSchema: objectOf(['encounterId', 'toWard', 'transferredAt'], {
      encounterId: id,
      fromWard: text(64),
      fromBed: text(32),
      toWard: text(64),
      toBed: text(32),
      toFacilityId: id,
      reason: text(500),
      transferredAt: dateTime,
    }),
  },
  {
    eventType: 'patient_discharged',
    version: '1.0',
    topic: 'patient-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'The patient left the facility; the encounter ends.',
    publishers,
    dataSchema: objectOf(['encounterId', 'dischargedAt', 'disposition'], {
      encounterId: id,
      disposition: { type: 'string', enum: ['home', 'referred', 'left_against_advice', 'deceased', 'other'] },
      summary: text(2000),
      dischargedAt: dateTime,
    }),
  },
];
