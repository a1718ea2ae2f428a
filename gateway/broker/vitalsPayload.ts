import type { EventDraft } from '../../kernel/events/envelope.ts';
import { draftEnvelope } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';
import { vitalParameterSpecs } from '../../kernel/events/schemas/vitals.ts';
import { compileSchema, toIssues, type ValidationIssue } from '../../kernel/events/validateEvent.ts';

/**
 * The JSON a device publishes on .../vitals (docs/mqtt.md). Each measurement
 * carries its unit; the device's own clock and a per-device sequence number
 * (which makes retransmissions recognisable) are required.
 */
export interface VitalsPayload {
  seq: number;
  timestamp: string;
  patientId?: string;
  vitals: Partial<Record<PayloadParameter, { value: number; unit: string }>>;
}

type PayloadParameter = 'spo2' | 'heartRate' | 'respiratoryRate' | 'systolic' | 'diastolic' | 'temperature';

/** Payload name -> event parameter, and the unit spellings accepted for it (converted to the event's UCUM unit). */
const payloadParameters: Record<
  PayloadParameter,
  { parameter: VitalParameter; units: Record<string, (value: number) => number> }
> = {
  spo2: { parameter: 'oxygenSaturation', units: { '%': (v) => v } },
  heartRate: { parameter: 'heartRate', units: { '/min': (v) => v, bpm: (v) => v } },
  respiratoryRate: { parameter: 'respiratoryRate', units: { '/min': (v) => v, 'breaths/min': (v) => v } },
  systolic: {
    parameter: 'systolicBloodPressure',
    units: { 'mm[Hg]': (v) => v, mmHg: (v) => v, kPa: (v) => v * 7.50062 },
  },
  diastolic: {
    parameter: 'diastolicBloodPressure',
    units: { 'mm[Hg]': (v) => v, mmHg: (v) => v, kPa: (v) => v * 7.50062 },
  },
  temperature: {
    parameter: 'temperature',
    units: {
      Cel: (v) => v,
      '°C': (v) => v,
      '[degF]': (v) => ((v - 32) * 5) / 9,
      '°F': (v) => ((v - 32) * 5) / 9,
    },
  },
};

const measurement = (units: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: { type: 'number' }, unit: { type: 'string', enum: units } },
});

export const vitalsPayloadSchema = {
  $id: 'nilecare:mqtt-vitals-payload',
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'timestamp', 'vitals'],
  properties: {
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    timestamp: { type: 'string', format: 'date-time' },
    patientId: { type: 'string', minLength: 1, maxLength: 64 },
    vitals: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(
        Object.entries(payloadParameters).map(([name, spec]) => [name, measurement(Object.keys(spec.units))]),
      ),
    },
  },
} as const;

const validatePayload = compileSchema<VitalsPayload>(vitalsPayloadSchema);

export type ParsedVitals =
  | { ok: true; payload: VitalsPayload }
  | { ok: false; code: 'GW_ERR_PAYLOAD_INVALID'; issues: ValidationIssue[] };

/** Parses and checks a payload: JSON, schema, units, and values a body can have. */
export function parseVitalsPayload(raw: Buffer): ParsedVitals {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      code: 'GW_ERR_PAYLOAD_INVALID',
      issues: [{ field: '/', rule: 'json', message: `payload is not JSON: ${(error as Error).message}` }],
    };
  }
  if (!validatePayload(json))
    return { ok: false, code: 'GW_ERR_PAYLOAD_INVALID', issues: toIssues(validatePayload.errors) };
  const issues: ValidationIssue[] = [];
  for (const [name, quantity] of Object.entries(json.vitals) as [
    PayloadParameter,
    { value: number; unit: string },
  ][]) {
    const { parameter, units } = payloadParameters[name];
    const value = units[quantity.unit]!(quantity.value);
    const { minimum, maximum, unit } = vitalParameterSpecs[parameter];
    if (value < minimum || value > maximum) {
      issues.push({
        field: `/vitals/${name}/value`,
        rule: 'range',
        message: `/vitals/${name}/value ${quantity.value} ${quantity.unit} is outside ${minimum}..${maximum} ${unit}: a device fault, not a reading`,
      });
    }
  }
  return issues.length > 0
    ? { ok: false, code: 'GW_ERR_PAYLOAD_INVALID', issues }
    : { ok: true, payload: json };
}

export interface ReadingContext {
  deviceId: string;
  facilityId: string;
  tenantId: string;
  sudanState?: string;
  patientId?: string;
  bed?: string;
  newId: IdSource;
}

/** A checked payload as a vital_signs_recorded draft, in the event's units. */
export function vitalsDraft(payload: VitalsPayload, context: ReadingContext): EventDraft {
  const data: Record<string, unknown> = {
    method: 'device',
    deviceId: context.deviceId,
    deviceSeq: payload.seq,
    ...(context.bed ? { bed: context.bed } : {}),
    measuredAt: payload.timestamp,
  };
  for (const [name, quantity] of Object.entries(payload.vitals) as [
    PayloadParameter,
    { value: number; unit: string },
  ][]) {
    const { parameter, units } = payloadParameters[name];
    const value = units[quantity.unit]!(quantity.value);
    data[parameter] = { value: Math.round(value * 100) / 100, unit: vitalParameterSpecs[parameter].unit };
  }
  return {
    ...deviceDraftEnvelope('vital_signs_recorded', payload.timestamp, context),
    data: data as EventDraft['data'],
  };
}

/**
 * The envelope of an event a device's message becomes: its own time, the
 * facility, and the patient already resolved against the device's binding
 * (readingPatient.ts).
 */
export function deviceDraftEnvelope(
  eventType: string,
  timestamp: string,
  context: ReadingContext,
): Omit<EventDraft, 'data'> {
  const { facilityId, tenantId, sudanState } = context;
  return draftEnvelope({
    eventId: context.newId(),
    eventType,
    timestamp,
    facility: { facilityId, tenantId, sudanState },
    patientId: context.patientId,
    source: gatewaySources.deviceIngest,
  });
}
