/** Encounters: admit (through the admission saga), transfer, discharge, and the encounters of a chart. */
import { dateTime, text } from './fields.ts';

export const admitBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ward'],
  properties: {
    ward: text(64),
    bed: text(32),
    reason: text(500),
    encounterClass: { type: 'string', enum: ['inpatient', 'emergency', 'maternity'], default: 'inpatient' },
    attendingPhysician: text(128),
  },
} as const;

export const transferBody = {
  type: 'object',
  additionalProperties: false,
  required: ['toWard'],
  properties: { toWard: text(64), toBed: text(32), reason: text(500) },
} as const;

export const dischargeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['disposition'],
  properties: {
    disposition: { type: 'string', enum: ['home', 'referred', 'left_against_advice', 'deceased', 'other'] },
    summary: text(2000),
  },
} as const;

/** `PUT /api/v1/patients/:patientId/news2-scale`: the clinician's choice of SpO2 scale and why. */
export const news2ScaleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['spo2Scale', 'reason'],
  properties: {
    spo2Scale: {
      type: 'integer',
      enum: [1, 2],
      description:
        '2 only for confirmed hypercapnic respiratory failure (RCP 2017); 1 for every other patient',
    },
    reason: text(500),
  },
} as const;

export const sagaIdParams = {
  type: 'object',
  required: ['sagaId'],
  properties: { sagaId: text(64) },
} as const;

/** A move within an encounter: the data of patient_transferred as recorded. */
export const encounterTransferView = {
  type: 'object',
  additionalProperties: false,
  required: ['encounterId', 'toWard', 'transferredAt'],
  properties: {
    encounterId: { type: 'string' },
    fromWard: { type: 'string' },
    fromBed: { type: 'string' },
    toWard: { type: 'string' },
    toBed: { type: 'string' },
    toFacilityId: { type: 'string' },
    reason: { type: 'string' },
    transferredAt: dateTime,
  },
} as const;

/** An encounter as the encounters read model keeps it (projections/encounters.ts). */
export const encounterView = {
  type: 'object',
  additionalProperties: false,
  required: ['encounterId', 'patientId', 'encounterClass', 'status', 'startedAt', 'transfers'],
  properties: {
    encounterId: { type: 'string' },
    patientId: { type: 'string' },
    encounterClass: { type: 'string' },
    status: {
      type: 'string',
      enum: ['in-progress', 'finished', 'cancelled'],
      description: 'FHIR Encounter.status: cancelled when the admission was undone',
    },
    ward: { type: 'string' },
    bed: { type: 'string' },
    reason: { type: 'string' },
    notes: { type: 'string' },
    news2Spo2Scale: {
      type: 'integer',
      enum: [1, 2],
      description:
        'NEWS2 SpO2 scale a clinician chose; 2 only for hypercapnic respiratory failure; absent: 1',
    },
    news2Spo2ScaleReason: { type: 'string', description: 'Why the clinician chose the scale' },
    attendingPhysician: {
      type: 'object',
      additionalProperties: false,
      required: ['display'],
      properties: { practitionerId: { type: 'string' }, display: { type: 'string' } },
      description: 'The physician responsible: named at admission, changed on the chart',
    },
    startedAt: dateTime,
    admittedAt: dateTime,
    transfers: { type: 'array', items: encounterTransferView },
    dischargedAt: dateTime,
    disposition: { type: 'string' },
    closedAt: dateTime,
    closeReason: { type: 'string' },
  },
} as const;

/** What `POST /api/v1/patients/:patientId/admissions` answers once the saga completed. */
export const admissionReply = {
  type: 'object',
  description: 'Admitted: the saga, the new encounter and the bed it holds',
  additionalProperties: false,
  required: ['sagaId', 'encounterId', 'ward', 'bed'],
  properties: {
    sagaId: { type: 'string' },
    encounterId: { type: 'string' },
    ward: { type: 'string' },
    bed: { type: 'string' },
  },
} as const;

const sagaStep = { type: 'string', enum: ['reserve_bed', 'create_encounter', 'notify_care_team'] } as const;

/** An admission saga as the gateway keeps it (sagas/admissionSaga.ts): state, the bed it holds, what failed, each step. */
export const admissionSagaView = {
  type: 'object',
  description: 'The saga: status, reservation, failure, compensations and every event in order',
  additionalProperties: false,
  required: [
    'sagaId',
    'patientId',
    'status',
    'ward',
    'encounterClass',
    'startedAt',
    'bedReleased',
    'encounterClosed',
    'notified',
    'admitted',
    'compensations',
    'history',
  ],
  properties: {
    sagaId: { type: 'string' },
    patientId: { type: 'string' },
    status: { type: 'string', enum: ['running', 'compensating', 'completed', 'failed'] },
    ward: { type: 'string' },
    bed: { type: 'string', description: 'The bed asked for, or chosen when the saga started' },
    reason: { type: 'string' },
    encounterClass: { type: 'string' },
    attendingPhysician: { type: 'string' },
    startedAt: dateTime,
    reservation: {
      type: 'object',
      additionalProperties: false,
      required: ['ward', 'bed'],
      properties: { ward: { type: 'string' }, bed: { type: 'string' }, expiresAt: dateTime },
    },
    bedReleased: { type: 'boolean' },
    encounterId: { type: 'string' },
    encounterClosed: { type: 'boolean' },
    notified: { type: 'boolean' },
    admitted: { type: 'boolean' },
    failure: {
      type: 'object',
      additionalProperties: false,
      required: ['step', 'cause', 'reason'],
      properties: {
        step: sagaStep,
        cause: { type: 'string', enum: ['step_failed', 'reservation_expired'] },
        reason: { type: 'string' },
      },
    },
    compensations: { type: 'array', items: { type: 'string', enum: ['release_bed', 'close_encounter'] } },
    history: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['eventType', 'at'],
        properties: { eventType: { type: 'string' }, at: dateTime, seq: { type: 'integer' } },
      },
    },
  },
} as const;
