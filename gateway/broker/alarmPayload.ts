import type { EventDraft } from '../../kernel/events/envelope.ts';
import { compileSchema, toIssues } from '../../kernel/events/validateEvent.ts';
import { deviceDraftEnvelope, type ParsedVitals, type ReadingContext } from './vitalsPayload.ts';

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
  return {
    ...deviceDraftEnvelope('device_alert_triggered', payload.timestamp, context),
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
