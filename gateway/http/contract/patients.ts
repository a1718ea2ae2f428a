/** Patients: registration and demographics (requests), the list, the chart and the timeline (replies). */
import { envelopeSchema } from '../../../kernel/events/envelope.ts';
import { phonePattern, sudanNationalIdPattern, sudanStates } from '../../../kernel/events/schemas/common.ts';
import { alertView } from './alerts.ts';
import { encounterView } from './encounters.ts';
import { appendedEvents, dateTime, text } from './fields.ts';
import { revealPurposes } from './revealPurposes.ts';
import { latestVitalsView } from './vitals.ts';

export const patientIdParams = {
  type: 'object',
  required: ['patientId'],
  properties: { patientId: text(64) },
} as const;

const sex = { type: 'string', enum: ['female', 'male', 'other', 'unknown'] } as const;
const sudanState = { type: 'string', enum: sudanStates } as const;
const preferredLanguage = { type: 'string', enum: ['ar', 'en'] } as const;

export const demographicsProperties = {
  firstName: text(100),
  lastName: text(100),
  fatherName: text(100),
  grandfatherName: text(100),
  sex,
  birthDate: { type: 'string', format: 'date' },
  sudanNationalId: {
    type: 'string',
    pattern: sudanNationalIdPattern,
    description: 'Encrypted before it is stored; shown masked',
  },
  phone: {
    type: 'string',
    pattern: phonePattern,
    description: 'E.164, e.g. +249912345678; encrypted before it is stored',
  },
  address: text(300),
  locality: text(100),
  sudanState,
  preferredLanguage,
  allergies: { type: 'array', maxItems: 50, items: text(200) },
} as const;

export const registerPatientBody = {
  type: 'object',
  additionalProperties: false,
  required: ['firstName', 'lastName', 'sex'],
  properties: {
    patientId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    patientMRN: text(64),
    ...demographicsProperties,
  },
} as const;

export const updatePatientBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: demographicsProperties,
} as const;

/**
 * The longest reason accepted, in characters: what sudan_national_id_accessed
 * 1.0 can carry in `accessReason` (kernel/events/schemas/sudan.ts).
 */
export const MAX_REVEAL_REASON = 200;

export const revealNationalIdBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_REVEAL_REASON,
      description: `One of ${revealPurposes.join(', ')}, or at least 2 words and 10 characters saying why`,
    },
  },
} as const;

/** A patient as the API shows one (http/patientView.ts): national ID and phone only ever masked. */
export const patientView = {
  type: 'object',
  additionalProperties: false,
  required: ['patientId', 'firstName', 'lastName', 'sex', 'registeredAt', 'updatedAt', 'status'],
  properties: {
    patientId: { type: 'string' },
    patientMRN: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    fatherName: { type: 'string' },
    grandfatherName: { type: 'string' },
    sex,
    birthDate: { type: 'string', format: 'date' },
    sudanNationalIdMasked: { type: 'string', description: 'The last four characters' },
    phoneMasked: { type: 'string', description: 'The last four characters' },
    address: { type: 'string' },
    locality: { type: 'string' },
    sudanState,
    preferredLanguage,
    allergies: { type: 'array', items: { type: 'string' } },
    registeredAt: dateTime,
    updatedAt: dateTime,
    status: { type: 'string', enum: ['registered', 'admitted', 'discharged'] },
    encounterId: { type: 'string', description: 'The open encounter, while admitted' },
    ward: { type: 'string' },
    bed: { type: 'string' },
  },
} as const;

export const patientListReply = {
  type: 'object',
  description: 'Every registered patient',
  additionalProperties: false,
  required: ['patients'],
  properties: { patients: { type: 'array', items: patientView } },
} as const;

export const patientRegisteredReply = {
  type: 'object',
  description: 'Registered: the patient id (given or made) and the events appended',
  additionalProperties: false,
  required: ['patientId', 'events'],
  properties: { patientId: { type: 'string' }, events: appendedEvents },
} as const;

export const patientChartReply = {
  type: 'object',
  description: 'The chart: demographics, encounters, latest vitals, alerts (newest first)',
  additionalProperties: false,
  required: ['patient', 'encounters', 'latestVitals', 'alerts'],
  properties: {
    patient: patientView,
    encounters: { type: 'array', items: encounterView },
    latestVitals: { ...latestVitalsView, type: ['object', 'null'] },
    alerts: { type: 'array', items: alertView },
  },
} as const;

export const nationalIdReply = {
  type: 'object',
  description: 'The national ID in clear; the access is in the log',
  additionalProperties: false,
  required: ['nationalId'],
  properties: { nationalId: { type: 'string' } },
} as const;

export const timelineQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'string',
      pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$',
      description: 'Events per page, 1 to 500 (default 100)',
    },
    beforeSeq: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,14}$',
      description: 'Only events before this log position: the nextBeforeSeq of the previous page',
    },
  },
} as const;

const { hash: _hash, data: _data, metadata: _metadata, ...envelopeFields } = envelopeSchema.properties;

/** A logged event as the API shows it: the envelope (kernel/events/envelope.ts), its data as recorded. */
export const clinicalEventView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'eventId',
    'eventType',
    'timestamp',
    'version',
    'facilityId',
    'tenantId',
    'data',
    'source',
    'gatewayId',
    'seq',
    'recordedAt',
  ],
  properties: {
    ...envelopeFields,
    data: {
      type: 'object',
      additionalProperties: true,
      description: 'As the event type of the catalogue has it',
    },
    metadata: { type: 'object', additionalProperties: true },
  },
} as const;

export const timelineReply = {
  type: 'object',
  description: "The patient's events, newest first, without their chain hash; PHI fields masked",
  additionalProperties: false,
  required: ['patientId', 'events', 'nextBeforeSeq'],
  properties: {
    patientId: { type: 'string' },
    events: { type: 'array', items: clinicalEventView },
    nextBeforeSeq: {
      type: ['integer', 'null'],
      description: 'beforeSeq of the next page; null on the last page',
    },
  },
} as const;
