/** The shift handover: every admitted patient's state and what happened since the shift began (gateway/handover/). */
import { news2View } from './news2.ts';
import { news2HourPoint } from './news2Trends.ts';
import { dateTime } from './fields.ts';

/** Query values arrive as text: buildHttpApp turns type coercion off so that bodies are never coerced. */
export interface HandoverQuery {
  since?: string;
}

export const handoverQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: {
      ...dateTime,
      description: 'What counts as new: from this instant (default: the start of the current shift)',
    },
  },
} as const;

const dose = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: { type: 'number' }, unit: { type: 'string' } },
} as const;

const person = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { type: 'string' }, userName: { type: 'string' }, userRole: { type: 'string' } },
} as const;

const openAlert = {
  type: 'object',
  additionalProperties: false,
  required: ['alertId', 'parameter', 'severity', 'priority', 'status', 'raisedAt'],
  properties: {
    alertId: { type: 'string' },
    parameter: { type: 'string', description: 'The vital sign, the test code, or news2' },
    value: { type: 'number' },
    valueText: { type: 'string' },
    unit: { type: 'string' },
    direction: { type: 'string', enum: ['low', 'high'] },
    severity: { type: 'string', enum: ['critical', 'warning'] },
    priority: { type: 'string', enum: ['high', 'medium'] },
    status: { type: 'string', enum: ['active', 'acknowledged'] },
    raisedAt: dateTime,
    acknowledgedAt: dateTime,
    acknowledgedBy: person,
  },
} as const;

const newLabResult = {
  type: 'object',
  additionalProperties: false,
  required: ['resultId', 'testCode', 'testName', 'value', 'resultStatus', 'reportedAt', 'critical', 'flags'],
  properties: {
    resultId: { type: 'string' },
    testCode: { type: 'string' },
    testName: { type: 'string' },
    value: { type: ['number', 'string'] },
    comparator: { type: 'string', enum: ['<', '<=', '>', '>=', '='] },
    unit: { type: 'string' },
    flags: { type: 'array', items: { type: 'string' } },
    critical: { type: 'boolean', description: 'Flagged critical (HL7 2.5.1 table 0078: HH, LL, <, >, AA)' },
    resultStatus: { type: 'string', enum: ['preliminary', 'final', 'corrected'] },
    reportedAt: dateTime,
  },
} as const;

const openLabOrder = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'tests', 'priority', 'status', 'orderedAt', 'overdue'],
  properties: {
    orderId: { type: 'string' },
    tests: { type: 'array', items: { type: 'string' }, description: 'Test names' },
    priority: { type: 'string', enum: ['routine', 'urgent', 'stat'] },
    status: { type: 'string', enum: ['ordered', 'collected', 'in_progress', 'partial'] },
    orderedAt: dateTime,
    dueAt: { ...dateTime, description: 'When it becomes overdue (absent: the catalogue sets no limit)' },
    overdue: { type: 'boolean' },
  },
} as const;

const activeMedication = {
  type: 'object',
  additionalProperties: false,
  required: ['medicationRequestId', 'drugName', 'dose', 'route', 'frequency'],
  properties: {
    medicationRequestId: { type: 'string' },
    drugName: { type: 'string' },
    dose,
    route: { type: 'string' },
    frequency: {
      type: 'string',
      description: 'As prescribed; the read model holds no schedule of due times',
    },
    lastGivenAt: dateTime,
  },
} as const;

const shiftAdministration = {
  type: 'object',
  additionalProperties: false,
  required: ['administrationId', 'drugName', 'status', 'administeredAt'],
  properties: {
    administrationId: { type: 'string' },
    drugName: { type: 'string' },
    status: { type: 'string', enum: ['given', 'held', 'refused'] },
    doseGiven: dose,
    reason: { type: 'string' },
    administeredAt: dateTime,
    by: { type: 'string' },
  },
} as const;

const diagnosisChange = {
  type: 'object',
  additionalProperties: false,
  required: ['diagnosisId', 'code', 'display', 'clinicalStatus', 'change', 'at'],
  properties: {
    diagnosisId: { type: 'string' },
    code: { type: 'string' },
    display: { type: 'string' },
    clinicalStatus: { type: 'string' },
    change: { type: 'string', enum: ['added', 'updated', 'resolved'] },
    at: dateTime,
  },
} as const;

export const handoverPatient = {
  type: 'object',
  additionalProperties: false,
  required: [
    'patientId',
    'name',
    'sex',
    'news2',
    'trend',
    'alerts',
    'labResults',
    'labOrders',
    'medications',
    'given',
    'diagnoses',
  ],
  properties: {
    patientId: { type: 'string' },
    ward: { type: 'string' },
    bed: { type: 'string' },
    name: { type: 'string' },
    patientMRN: { type: 'string' },
    sex: { type: 'string', enum: ['female', 'male', 'other', 'unknown'] },
    ageYears: { type: 'integer', minimum: 0 },
    news2: news2View,
    trend: {
      type: 'array',
      items: news2HourPoint,
      description: 'NEWS2 of the last 12 hours, worst of each hour',
    },
    alerts: { type: 'array', items: openAlert, description: 'Open alerts, oldest first' },
    labResults: {
      type: 'array',
      items: newLabResult,
      description: 'Results reported since the shift began, critical first, then newest first',
    },
    labOrders: {
      type: 'array',
      items: openLabOrder,
      description: 'Orders the laboratory still owes, overdue first',
    },
    medications: { type: 'array', items: activeMedication, description: 'Active prescriptions' },
    given: {
      type: 'array',
      items: shiftAdministration,
      description: 'Doses given, held or refused since the shift began, oldest first',
    },
    encounterNotes: { type: 'string', description: "The admission's current notes" },
    diagnoses: {
      type: 'array',
      items: diagnosisChange,
      description: 'Diagnoses added, changed or resolved since',
    },
  },
} as const;

export const handoverReply = {
  type: 'object',
  additionalProperties: false,
  required: ['since', 'generatedAt', 'patients'],
  properties: {
    since: { ...dateTime, description: 'Start of the shift (or the `since` asked for)' },
    generatedAt: dateTime,
    patients: { type: 'array', items: handoverPatient, description: 'Admitted patients by ward and bed' },
  },
} as const;
