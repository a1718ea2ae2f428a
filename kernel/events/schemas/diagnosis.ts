/**
 * Diagnosis events (the platform design, "Event Types" > "Diagnosis Events"; "Event Handlers
 * by Service": the EHR service publishes diagnosis_added, CDS subscribes to it).
 * Field names follow FHIR R4 Condition (clinicalStatus, verificationStatus,
 * onset) so the hub's FHIR service maps them one to one.
 */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { date, dateTime, id, objectOf, text } from './common.ts';

/**
 * ICD-10 code, WHO or ICD-10-CM style: letter, two digits (ICD-10-CM also has
 * C4A, D3A, M1A ...), then an optional dot and up to four characters.
 * The first letter may be U: WHO ICD-10 uses U07.1/U07.2 for COVID-19 and
 * U82-U85 for antimicrobial resistance, which a Sudanese clinic records.
 */
export const icd10CodePattern = '^[A-Z][0-9][0-9AB](\\.[0-9A-Z]{1,4})?$';

const code = { type: 'string', pattern: icd10CodePattern, maxLength: 8 } as const;

/** FHIR R4 condition-clinical value set. */
const clinicalStatus = {
  type: 'string',
  enum: ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'],
} as const;

/** FHIR R4 condition-ver-status value set (codes spelled as in FHIR, hyphens included). */
const verificationStatus = {
  type: 'string',
  enum: ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'],
} as const;

/** FHIR R4 condition-category: a diagnosis of this encounter, or a standing problem. */
const category = { type: 'string', enum: ['encounter-diagnosis', 'problem-list-item'] } as const;

/** Onset as a day (history taken from the patient) or an instant (observed). */
const onset = { anyOf: [date, dateTime] } as const;

/** A diagnosis is a clinician's judgement: recorded in the EHR, or at the clinic through the gateway. */
const publishers = ['ehr-service', 'gateway-service'];

export const diagnosisEvents: EventTypeSpec[] = [
  {
    eventType: 'diagnosis_added',
    version: '1.0',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A clinician recorded a diagnosis (ICD-10) for the patient.',
    publishers,
    actorRequired: true,
    dataSchema: objectOf(
      ['diagnosisId', 'code', 'display', 'clinicalStatus', 'verificationStatus', 'recordedAt'],
      {
        diagnosisId: id,
        /** Absent for a problem-list entry made outside a visit. */
        encounterId: id,
        code,
        display: text(255),
        clinicalStatus,
        verificationStatus,
        category,
        /** The main reason for this encounter. */
        primary: { type: 'boolean' },
        severity: { type: 'string', enum: ['mild', 'moderate', 'severe'] },
        onset,
        note: text(2000),
        recordedAt: dateTime,
      },
    ),
  },
  {
    eventType: 'diagnosis_updated',
    version: '1.0',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A diagnosis changed (code, status, severity, onset); only the changed fields are present.',
    publishers,
    actorRequired: true,
    dataSchema: {
      ...objectOf(['diagnosisId', 'updatedAt'], {
        diagnosisId: id,
        encounterId: id,
        code,
        display: text(255),
        clinicalStatus,
        verificationStatus,
        category,
        primary: { type: 'boolean' },
        severity: { type: 'string', enum: ['mild', 'moderate', 'severe'] },
        onset,
        note: text(2000),
        /** Why it changed, e.g. "malaria RDT positive". */
        reason: text(500),
        updatedAt: dateTime,
      }),
      // A new code without its text would leave the chart showing the old text.
      dependentRequired: { code: ['display'] },
      // An update that changes nothing is a caller error, not a fact.
      anyOf: [
        'code',
        'clinicalStatus',
        'verificationStatus',
        'category',
        'primary',
        'severity',
        'onset',
        'note',
      ].map((field) => ({ required: [field] })),
    },
  },
  {
    eventType: 'diagnosis_resolved',
    version: '1.0',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A diagnosis no longer applies: the condition resolved or went into remission.',
    publishers,
    actorRequired: true,
    dataSchema: objectOf(['diagnosisId', 'clinicalStatus', 'resolvedAt'], {
      diagnosisId: id,
      encounterId: id,
      /** FHIR's two end states of a condition that was real (refuted is a diagnosis_updated). */
      clinicalStatus: { type: 'string', enum: ['resolved', 'remission'] },
      /** When the condition ended (FHIR abatement), if known apart from when it was recorded. */
      abatement: onset,
      note: text(2000),
      resolvedAt: dateTime,
    }),
  },
];
