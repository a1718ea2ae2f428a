import type { EventDraft } from '../events/envelope.ts';
import { gatewaySources } from '../events/eventTypeSpec.ts';
import { compileSchema, toIssues } from '../events/validateEvent.ts';
import type { ParsedVitals, ReadingContext } from './vitalsPayload.ts';

/** What a device publishes on .../alarms: an alarm of its own (lead off, low battery, its own SpO2 limit ...). */
export interface AlarmPayload {
  seq: number;
  timestamp: string;
  alarmCode: string;
  priority: 'high' | 'medium' | 'low';
  kind?: 'physiological' | 'technical';
  description?: string;
}

const validateAlarm = compileSchema<AlarmPayload>({
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'timestamp', 'alarmCode', 'priority'],
  properties: {
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    timestamp: { type: 'string', format: 'date-time' },
    alarmCode: { type: 'string', minLength: 1, maxLength: 64 },
    priority: { type: 'string', enum: ['high', 'medium', 'low'] },
    kind: { type: 'string', enum: ['physiological', 'technical'] },
    description: { type: 'string', minLength: 1, maxLength: 500 },
  },
});

export function parseAlarmPayload(
  raw: Buffer,
): { ok: true; payload: AlarmPayload } | Extract<ParsedVitals, { ok: false }> {
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
  return validateAlarm(json)
    ? { ok: true, payload: json }
    : { ok: false, code: 'GW_ERR_PAYLOAD_INVALID', issues: toIssues(validateAlarm.errors) };
}

export function alarmDraft(payload: AlarmPayload, context: ReadingContext): EventDraft {
  const patientId = context.patientId;
  return {
    eventId: context.newId(),
    eventType: 'device_alert_triggered',
    timestamp: payload.timestamp,
    version: '1.0',
    ...(patientId ? { patientId } : {}),
    facilityId: context.facilityId,
    tenantId: context.tenantId,
    ...(context.sudanState ? { sudanState: context.sudanState } : {}),
    source: gatewaySources.deviceIngest,
    data: {
      deviceId: context.deviceId,
      alarmCode: payload.alarmCode,
      priority: payload.priority,
      ...(payload.kind ? { kind: payload.kind } : {}),
      ...(payload.description ? { description: payload.description } : {}),
      triggeredAt: payload.timestamp,
    },
  };
}
