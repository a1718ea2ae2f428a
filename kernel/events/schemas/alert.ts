import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

/** Seed "Event Authorization": critical values come from device integration or the lab. */
const criticalValuePublishers = ['device-integration-service', 'lab-service'];
const alertActionPublishers = ['gateway-service', 'device-integration-service', 'lab-service'];

export const alertEvents: EventTypeSpec[] = [
  {
    eventType: 'critical_value_detected',
    version: '1.0',
    topic: 'alert-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description: 'A reading crossed a critical-value rule; opens (or worsens) an alert episode.',
    publishers: criticalValuePublishers,
    dataSchema: objectOf(
      [
        'alertId',
        'parameter',
        'value',
        'threshold',
        'direction',
        'severity',
        'priority',
        'ruleId',
        'detectedAt',
      ],
      {
        alertId: id,
        parameter: text(64),
        value: { type: 'number' },
        unit: text(32),
        threshold: { type: 'number' },
        direction: { type: 'string', enum: ['low', 'high'] },
        /** `critical`: NEWS2 single-parameter score 3; `warning`: score 2. */
        severity: { type: 'string', enum: ['critical', 'warning'] },
        /** IEC 60601-1-8 alarm priority shown to the nurse. */
        priority: { type: 'string', enum: ['high', 'medium'] },
        ruleId: text(64),
        deviceId: id,
        bed: text(32),
        /** The alert this one replaces when a value worsens within an episode. */
        supersedesAlertId: id,
        detectedAt: dateTime,
      },
    ),
  },
  {
    eventType: 'alert_acknowledged',
    version: '1.0',
    topic: 'alert-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description: 'A nurse or clinician acknowledged an alert; the envelope names who.',
    publishers: alertActionPublishers,
    actorRequired: true,
    dataSchema: objectOf(['alertId', 'acknowledgedAt'], {
      alertId: id,
      note: text(500),
      acknowledgedAt: dateTime,
    }),
  },
  {
    eventType: 'alert_escalated',
    version: '1.0',
    topic: 'alert-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description: 'An alert was not acknowledged in time and went up a level (SMS and others follow).',
    publishers: alertActionPublishers,
    dataSchema: objectOf(['alertId', 'level', 'reason', 'unacknowledgedSeconds', 'escalatedAt'], {
      alertId: id,
      level: { type: 'integer', minimum: 1, maximum: 10 },
      reason: { type: 'string', enum: ['not_acknowledged'] },
      unacknowledgedSeconds: { type: 'number', minimum: 0 },
      escalatedAt: dateTime,
    }),
  },
  {
    eventType: 'alert_resolved',
    version: '1.0',
    topic: 'alert-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description:
      'An alert ended: the value returned to range, a worse alert replaced it, or a clinician closed it.',
    publishers: alertActionPublishers,
    dataSchema: objectOf(['alertId', 'parameter', 'reason', 'resolvedAt'], {
      alertId: id,
      /** The alert's parameter, so the episode it closes is known without a look-up. */
      parameter: text(64),
      deviceId: id,
      reason: { type: 'string', enum: ['returned_to_range', 'superseded', 'closed_by_user'] },
      value: { type: 'number' },
      note: text(500),
      resolvedAt: dateTime,
    }),
  },
];
