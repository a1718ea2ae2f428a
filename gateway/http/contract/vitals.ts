/** Vital signs: the hand-entered reading (request) and the latest readings of a patient (reply). */
import {
  type VitalParameter,
  vitalParameterSpecs,
  vitalParameters,
} from '../../../kernel/events/schemas/vitals.ts';
import { dateTime } from './fields.ts';
import { consciousnessObservation, news2View, supplementalOxygenObservation } from './news2.ts';

export const manualVitalsBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    measuredAt: dateTime,
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

/** The latest reading of one parameter, marked stale when its device went quiet (http/vitalsView.ts). */
export const vitalReadingView = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit', 'measuredAt', 'recordedAt', 'method', 'eventId', 'stale', 'ageSeconds'],
  properties: {
    value: { type: 'number' },
    unit: { type: 'string' },
    measuredAt: { ...dateTime, description: 'Device or nurse clock' },
    recordedAt: { ...dateTime, description: 'Gateway clock at append' },
    method: { type: 'string', enum: ['device', 'manual'] },
    deviceId: { type: 'string' },
    eventId: { type: 'string', description: 'The vital_signs_recorded event it came from' },
    stale: { type: 'boolean', description: 'Older than the gateway option staleAfterSeconds' },
    ageSeconds: { type: 'integer', description: 'Seconds since it was recorded (gateway clock)' },
  },
} as const;

/** One schema per vital parameter of the kernel's list, so the reply's keys are the parameters' names. */
function perParameter<S>(schema: S): { [K in VitalParameter]: S } {
  return Object.fromEntries(vitalParameters.map((name) => [name, schema])) as { [K in VitalParameter]: S };
}

/** A patient's (or an unbound device's) latest vital signs, one reading per parameter. */
export const latestVitalsView = {
  type: 'object',
  additionalProperties: false,
  required: ['subjectId', 'parameters', 'news2', 'updatedAt'],
  properties: {
    subjectId: { type: 'string', description: 'The patient, or the device when none is bound' },
    patientId: { type: 'string' },
    deviceId: { type: 'string' },
    bed: { type: 'string' },
    parameters: { type: 'object', additionalProperties: false, properties: perParameter(vitalReadingView) },
    supplementalOxygen: supplementalOxygenObservation,
    consciousness: consciousnessObservation,
    news2: news2View,
    updatedAt: dateTime,
  },
} as const;
