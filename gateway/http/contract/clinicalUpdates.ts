/**
 * Corrections on the chart: an open encounter's attending physician, class or
 * reason (encounter_updated), a diagnosis's verification status, severity,
 * note or code (diagnosis_updated). Each field is the catalogue's own, so the
 * API refuses what the event would refuse.
 */
import { catalogueField } from './catalogueFields.ts';
import { text } from './fields.ts';

const encounterField = (field: string) => catalogueField('encounter_updated', field);
const diagnosisField = (field: string) => catalogueField('diagnosis_updated', field);

/** At least one of `fields`: an update that changes nothing is refused with a 400. */
const someOf = (fields: readonly string[]) => fields.map((field) => ({ required: [field] }));

export const encounterUpdateParams = {
  type: 'object',
  required: ['patientId', 'encounterId'],
  properties: { patientId: text(64), encounterId: text(64) },
} as const;

export const diagnosisUpdateParams = {
  type: 'object',
  required: ['patientId', 'diagnosisId'],
  properties: { patientId: text(64), diagnosisId: text(64) },
} as const;

export const encounterUpdateBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encounterClass: encounterField('encounterClass'),
    reason: { ...encounterField('reason'), description: 'The reason for the visit or stay' },
    attendingPhysician: {
      ...encounterField('attendingPhysician'),
      description:
        "The physician now responsible: the gateway user's id if they have one, and the name shown",
    },
    notes: {
      ...encounterField('notes'),
      description: 'Why it changed, or anything the next shift should know',
    },
  },
  anyOf: someOf(['encounterClass', 'reason', 'attendingPhysician']),
} as const;

export const diagnosisUpdateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    verificationStatus: diagnosisField('verificationStatus'),
    severity: diagnosisField('severity'),
    note: { ...diagnosisField('note'), description: 'The diagnosis in free text, beside its code' },
    icd10Code: { ...diagnosisField('code'), description: 'A corrected ICD-10 code; needs its description' },
    description: { ...diagnosisField('display'), description: 'The corrected diagnosis in words' },
    reason: { ...diagnosisField('reason'), description: 'Why it changed, e.g. "malaria RDT negative"' },
  },
  // A new code without its words would leave the chart showing the old words (draft-07 dependencies).
  dependencies: { icd10Code: ['description'], description: ['icd10Code'] },
  anyOf: someOf(['verificationStatus', 'severity', 'note', 'icd10Code']),
} as const;
