/** The clinical record of a chart: diagnoses, prescriptions with their doses, lab results. */
import { appendedEvents, dateTime } from './fields.ts';

const actor = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { type: 'string' }, userName: { type: 'string' }, userRole: { type: 'string' } },
} as const;

/** A diagnosis as the diagnoses read model keeps it (projections/diagnoses.ts): the data of diagnosis_added and its changes. */
export const diagnosisView = {
  type: 'object',
  additionalProperties: false,
  required: ['diagnosisId', 'code', 'display', 'clinicalStatus', 'verificationStatus', 'recordedAt'],
  properties: {
    diagnosisId: { type: 'string' },
    encounterId: { type: 'string' },
    code: { type: 'string', description: 'ICD-10' },
    display: { type: 'string', description: 'The diagnosis in words' },
    clinicalStatus: { type: 'string', description: 'FHIR condition-clinical' },
    verificationStatus: { type: 'string', description: 'FHIR condition-ver-status' },
    category: { type: 'string' },
    primary: { type: 'boolean' },
    severity: { type: 'string' },
    onset: { type: 'string', description: 'A date or a date-time' },
    note: { type: 'string' },
    recordedAt: dateTime,
    recordedBy: actor,
    updatedAt: dateTime,
    resolvedAt: dateTime,
    abatement: { type: 'string' },
  },
} as const;

export const diagnosisListReply = {
  type: 'object',
  description: "The patient's diagnoses, oldest first",
  additionalProperties: false,
  required: ['patientId', 'diagnoses'],
  properties: { patientId: { type: 'string' }, diagnoses: { type: 'array', items: diagnosisView } },
} as const;

export const diagnosisAddedReply = {
  type: 'object',
  description: 'Recorded: the new diagnosis id and the events appended',
  additionalProperties: false,
  required: ['diagnosisId', 'events'],
  properties: { diagnosisId: { type: 'string' }, events: appendedEvents },
} as const;

const quantity = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: { type: 'number' }, unit: { type: 'string' } },
} as const;

/** A dose given, held or refused (the data of medication_administered). */
export const administrationView = {
  type: 'object',
  additionalProperties: false,
  required: ['administrationId', 'status', 'administeredAt'],
  properties: {
    administrationId: { type: 'string' },
    status: { type: 'string', enum: ['given', 'held', 'refused'] },
    doseGiven: quantity,
    route: { type: 'string' },
    site: { type: 'string' },
    reason: { type: 'string', description: 'Why a dose was held or refused' },
    administeredAt: dateTime,
    by: { type: 'string', description: 'userId of who recorded it' },
  },
} as const;

/** A prescription as the medications read model keeps it (projections/medications.ts). */
export const prescriptionView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'medicationRequestId',
    'drugName',
    'dose',
    'route',
    'frequency',
    'prescribedAt',
    'status',
    'administrations',
  ],
  properties: {
    medicationRequestId: { type: 'string' },
    encounterId: { type: 'string' },
    drugName: { type: 'string' },
    atcCode: { type: 'string' },
    formularyCode: { type: 'string' },
    strength: { type: 'string' },
    dose: quantity,
    route: { type: 'string' },
    frequency: { type: 'string' },
    duration: quantity,
    diagnosisId: { type: 'string' },
    indication: { type: 'string' },
    instructions: { type: 'string' },
    startsAt: dateTime,
    prescribedAt: dateTime,
    prescribedBy: { type: 'string', description: 'userId of the prescriber' },
    status: { type: 'string', enum: ['active', 'discontinued'] },
    discontinuedAt: dateTime,
    discontinuedReason: { type: 'string' },
    administrations: { type: 'array', items: administrationView },
  },
} as const;

export const medicationChartReply = {
  type: 'object',
  description: "The patient's prescriptions, each with its doses",
  additionalProperties: false,
  required: ['patientId', 'prescriptions'],
  properties: { patientId: { type: 'string' }, prescriptions: { type: 'array', items: prescriptionView } },
} as const;

export const prescribedReply = {
  type: 'object',
  description: 'Prescribed: the new prescription id and the events appended',
  additionalProperties: false,
  required: ['prescriptionId', 'events'],
  properties: { prescriptionId: { type: 'string' }, events: appendedEvents },
} as const;

export const administeredReply = {
  type: 'object',
  description: 'Recorded: the administration id and the events appended',
  additionalProperties: false,
  required: ['administrationId', 'events'],
  properties: { administrationId: { type: 'string' }, events: appendedEvents },
} as const;

export const labValue = {
  type: ['number', 'string'],
  description: 'A number, or text ("positive")',
} as const;

/** A lab result as the lab results read model keeps it (projections/labResults.ts): the latest status of its result id. */
export const labResultView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'resultId',
    'specimen',
    'testCode',
    'testName',
    'value',
    'resultStatus',
    'observedAt',
    'reportedAt',
    'statusHistory',
  ],
  properties: {
    resultId: { type: 'string' },
    orderId: { type: 'string' },
    specimen: {
      type: 'object',
      additionalProperties: false,
      required: ['specimenId', 'type'],
      properties: { specimenId: { type: 'string' }, type: { type: 'string' }, collectedAt: dateTime },
    },
    testCode: { type: 'string', description: 'LOINC or the lab’s own code' },
    testName: { type: 'string' },
    value: labValue,
    comparator: {
      type: 'string',
      enum: ['<', '<=', '>', '>=', '='],
      description: 'With a numeric value: "<" when the analyzer reported "<0.5" (below what it can measure)',
    },
    unit: { type: 'string' },
    referenceRange: {
      type: 'object',
      additionalProperties: false,
      properties: { low: { type: 'number' }, high: { type: 'number' }, text: { type: 'string' } },
    },
    flags: { type: 'array', items: { type: 'string' }, description: 'HL7 v2 table 0078' },
    resultStatus: { type: 'string', enum: ['preliminary', 'final', 'corrected'] },
    analyzer: { type: 'string' },
    deviceId: { type: 'string' },
    note: { type: 'string' },
    observedAt: dateTime,
    reportedAt: dateTime,
    statusHistory: {
      type: 'array',
      description: 'The statuses it went through, oldest first',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resultStatus', 'value', 'reportedAt'],
        properties: { resultStatus: { type: 'string' }, value: labValue, reportedAt: dateTime },
      },
    },
  },
} as const;

export const labResultListReply = {
  type: 'object',
  description: "The patient's lab results, oldest first",
  additionalProperties: false,
  required: ['patientId', 'results'],
  properties: { patientId: { type: 'string' }, results: { type: 'array', items: labResultView } },
} as const;
