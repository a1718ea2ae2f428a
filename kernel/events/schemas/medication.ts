/**
 * Medication events (the platform design, "Event Types" > "Medication Events", plus
 * medication_due from "Event Handlers by Service" > "Notification Service":
 * "medication_due -> Send reminder"). Topic medication-events, whose platform-design
 * consumers are CDS and Notification. Field names follow FHIR R4
 * MedicationRequest / MedicationAdministration where one exists.
 */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

/**
 * WHO ATC code at any level, A to A10BA02. No RxNorm: it is a US code system
 * that Sudan's formulary does not use.
 */
export const atcCodePattern = '^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$';

/** UCUM codes for measured amounts (ug, not mcg; [IU] for insulin and vitamins), plain words for dose forms. */
// biome-ignore format: a list of codes reads best wrapped
export const doseUnits = [
  'mg', 'g', 'ug', 'ng', 'mL', 'L', '[IU]', 'mmol', 'meq', 'tablet', 'capsule', 'drop', 'puff', 'sachet',
  'suppository', 'patch', 'application',
] as const;

export const dose = objectOf(['value', 'unit'], {
  value: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
  unit: { type: 'string', enum: doseUnits },
});

export const route = {
  type: 'string',
  // biome-ignore format: a list of codes reads best wrapped
  enum: [
    'oral', 'sublingual', 'buccal', 'rectal', 'vaginal', 'topical', 'transdermal', 'inhalation', 'nasal',
    'ophthalmic', 'otic', 'intravenous', 'intramuscular', 'subcutaneous', 'intradermal', 'intraosseous',
    'nasogastric', 'other',
  ],
} as const;

/** Dosing frequencies as written on a ward chart; `other` needs `instructions`. */
const frequency = {
  type: 'string',
  // biome-ignore format: a list of codes reads best wrapped
  enum: [
    'once', 'stat', 'daily', 'bid', 'tid', 'qid', 'q4h', 'q6h', 'q8h', 'q12h', 'nightly', 'weekly',
    'continuous', 'prn', 'other',
  ],
} as const;

const duration = objectOf(['value', 'unit'], {
  value: { type: 'integer', minimum: 1, maximum: 366 },
  unit: { type: 'string', enum: ['h', 'd', 'wk', 'mo'] },
});

const drugName = text(200);
const atcCode = { type: 'string', pattern: atcCodePattern, maxLength: 7 } as const;

/** A drug named in an interaction: by name, with its prescription when it is one. */
export const interactingDrug = objectOf(['drugName'], {
  drugName,
  atcCode,
  medicationRequestId: id,
});

/** Interaction severity as drug-interaction references grade it. */
export const interactionSeverity = {
  type: 'string',
  enum: ['contraindicated', 'major', 'moderate', 'minor'],
} as const;

/** Medication service at the hub; the gateway when a clinic prescribes or gives a dose offline. */
const publishers = ['medication-service', 'gateway-service'];

export const medicationEvents: EventTypeSpec[] = [
  {
    eventType: 'medication_prescribed',
    version: '1.0',
    topic: 'medication-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A clinician prescribed a drug: dose, route, frequency and duration.',
    publishers: ['medication-service', 'ehr-service', 'gateway-service'],
    actorRequired: true,
    dataSchema: {
      ...objectOf(['medicationRequestId', 'drugName', 'dose', 'route', 'frequency', 'prescribedAt'], {
        medicationRequestId: id,
        encounterId: id,
        drugName,
        atcCode,
        /** Code in the facility's or Sudan's essential-medicines list. */
        formularyCode: text(32),
        strength: text(64),
        dose,
        route,
        frequency,
        duration,
        /** The diagnosis it treats, when recorded. */
        diagnosisId: id,
        indication: text(200),
        instructions: text(500),
        startsAt: dateTime,
        prescribedAt: dateTime,
      }),
      if: { properties: { frequency: { const: 'other' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
      then: { required: ['instructions'] },
    },
  },
  {
    eventType: 'medication_administered',
    version: '1.0',
    topic: 'medication-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A nurse gave, held or recorded the refusal of a scheduled dose.',
    publishers,
    actorRequired: true,
    dataSchema: {
      ...objectOf(['administrationId', 'medicationRequestId', 'status', 'administeredAt'], {
        administrationId: id,
        medicationRequestId: id,
        drugName,
        status: { type: 'string', enum: ['given', 'held', 'refused'] },
        doseGiven: dose,
        route,
        site: text(64),
        /** Why a dose was held or refused (vomiting, nil by mouth, patient declined ...). */
        reason: text(500),
        /** The round the dose belonged to; for held and refused doses, when that was decided. */
        administeredAt: dateTime,
      }),
      // A given dose states how much; a dose not given states why.
      if: { properties: { status: { const: 'given' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
      then: { required: ['doseGiven'] },
      else: { required: ['reason'] },
    },
  },
  {
    eventType: 'medication_discontinued',
    version: '1.0',
    topic: 'medication-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A prescription was stopped before (or at) its planned end.',
    publishers: ['medication-service', 'ehr-service', 'gateway-service'],
    actorRequired: true,
    dataSchema: objectOf(['medicationRequestId', 'reason', 'discontinuedAt'], {
      medicationRequestId: id,
      reason: {
        type: 'string',
        // biome-ignore format: a list of codes reads best wrapped
        enum: [
          'course_completed', 'adverse_reaction', 'ineffective', 'interaction', 'patient_request',
          'changed_therapy', 'discharged', 'entered_in_error', 'other',
        ],
      },
      note: text(500),
      discontinuedAt: dateTime,
    }),
  },
  {
    eventType: 'medication_interaction_detected',
    version: '1.0',
    // On medication-events, not alert-events: it belongs to the medication
    // record and must stay in order with the prescriptions it concerns. The
    // CDS service's own finding is drug_interaction_detected (cds.ts).
    topic: 'medication-events',
    lane: 'alert',
    subject: 'patient',
    description: "Two drugs on the patient's medication list interact.",
    publishers: ['medication-service', 'cds-service', 'gateway-service'],
    dataSchema: objectOf(['interactionId', 'drugs', 'severity', 'description', 'source', 'detectedAt'], {
      interactionId: id,
      drugs: { type: 'array', minItems: 2, maxItems: 2, items: interactingDrug },
      severity: interactionSeverity,
      description: text(1000),
      /** The knowledge base that holds the interaction, e.g. "WHO Model Formulary 2008". */
      source: text(128),
      recommendation: text(500),
      detectedAt: dateTime,
    }),
  },
  {
    eventType: 'medication_due',
    version: '1.0',
    topic: 'medication-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A scheduled dose is due; the notification service sends a reminder.',
    publishers,
    dataSchema: objectOf(['medicationRequestId', 'drugName', 'dose', 'route', 'dueAt'], {
      medicationRequestId: id,
      drugName,
      dose,
      route,
      ward: text(64),
      bed: text(32),
      dueAt: dateTime,
    }),
  },
];
