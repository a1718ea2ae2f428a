/** JSON Schemas of request bodies and parameters, shared by routes and the OpenAPI document. */
import { phonePattern, sudanNationalIdPattern, sudanStates } from '../../kernel/events/schemas/common.ts';
import { vitalParameterSpecs, vitalParameters } from '../../kernel/events/schemas/vitals.ts';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

export const patientIdParams = {
  type: 'object',
  required: ['patientId'],
  properties: { patientId: text(64) },
} as const;

export const demographicsProperties = {
  firstName: text(100),
  lastName: text(100),
  fatherName: text(100),
  grandfatherName: text(100),
  sex: { type: 'string', enum: ['female', 'male', 'other', 'unknown'] },
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
  sudanState: { type: 'string', enum: sudanStates },
  preferredLanguage: { type: 'string', enum: ['ar', 'en'] },
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

export const manualVitalsBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    measuredAt: { type: 'string', format: 'date-time' },
    ...Object.fromEntries(
      vitalParameters.map((name) => {
        const spec = vitalParameterSpecs[name];
        return [
          name,
          { type: 'number', minimum: spec.minimum, maximum: spec.maximum, description: `in ${spec.unit}` },
        ];
      }),
    ),
    supplementalOxygen: { type: 'boolean' },
    consciousness: { type: 'string', enum: ['A', 'C', 'V', 'P', 'U'] },
  },
  anyOf: vitalParameters.map((name) => ({ required: [name] })),
} as const;

export const acknowledgeBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { note: text(500) },
} as const;

export const errorResponse = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    statusCode: { type: 'integer' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;
