/** Alerts: the nurse's list and acknowledgement. */
import { criticalFlags } from '../../../kernel/clinical/analyzerFlags.ts';
import { dateTime, appendedEvents, text } from './fields.ts';
import { news2AlertScoreView } from './news2.ts';

export const acknowledgeBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { note: text(500) },
} as const;

export const alertIdParams = {
  type: 'object',
  required: ['alertId'],
  properties: { alertId: text(64) },
} as const;

export const alertsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: {
      type: 'string',
      enum: ['open', 'active', 'acknowledged', 'resolved', 'all'],
      default: 'open',
    },
    patientId: text(64),
  },
} as const;

/** An alert as the alerts read model keeps it (projections/alerts.ts). */
export const alertView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'alertId',
    'subjectId',
    'parameter',
    'severity',
    'priority',
    'ruleId',
    'detectedAt',
    'raisedAt',
    'status',
    'escalationLevel',
  ],
  properties: {
    alertId: { type: 'string' },
    subjectId: { type: 'string', description: 'The patient, or the device when none is bound' },
    patientId: { type: 'string' },
    deviceId: { type: 'string' },
    bed: { type: 'string' },
    parameter: { type: 'string', description: 'A vital sign, a lab rule parameter, or a lab test code' },
    value: { type: 'number', description: 'Absent for a text result (valueText)' },
    valueText: { type: 'string', description: 'A lab result that is not a number ("POSITIVE")' },
    unit: { type: 'string' },
    threshold: { type: 'number', description: "The rule's limit; absent when the analyzer's flag raised it" },
    direction: { type: 'string', enum: ['low', 'high'], description: 'Absent for an AA flag' },
    flag: {
      type: 'string',
      enum: criticalFlags,
      description: "The analyzer's critical flag (HL7 2.5.1 table 0078)",
    },
    testCode: { type: 'string', description: 'The lab test code, for a lab alert' },
    news2: news2AlertScoreView,
    measuredAt: {
      ...dateTime,
      description: 'When the reading that raised it was measured, as the alert rules count it',
    },
    severity: { type: 'string', enum: ['critical', 'warning'] },
    priority: { type: 'string', enum: ['high', 'medium'], description: 'IEC 60601-1-8 alarm priority' },
    ruleId: { type: 'string' },
    causationId: { type: 'string', description: 'eventId of the reading that raised it' },
    detectedAt: dateTime,
    raisedAt: dateTime,
    status: {
      type: 'string',
      enum: ['active', 'acknowledged', 'resolved'],
      description: 'active: nobody has responded; acknowledged: a person took it; resolved: over',
    },
    acknowledgedAt: dateTime,
    acknowledgedBy: {
      type: 'object',
      additionalProperties: false,
      required: ['userId', 'userName', 'userRole'],
      properties: { userId: { type: 'string' }, userName: { type: 'string' }, userRole: { type: 'string' } },
    },
    escalationLevel: { type: 'integer' },
    lastEscalatedAt: dateTime,
    resolvedAt: dateTime,
    resolution: { type: 'string' },
    supersededBy: { type: 'string' },
  },
} as const;

export const alertListReply = {
  type: 'object',
  description: 'Highest priority first, then newest',
  additionalProperties: false,
  required: ['alerts'],
  properties: { alerts: { type: 'array', items: alertView } },
} as const;

export const acknowledgeReply = {
  type: 'object',
  description: 'The alert as it now stands, and the events appended',
  additionalProperties: false,
  required: ['alert', 'events'],
  properties: { alert: alertView, events: appendedEvents },
} as const;
