import { criticalFlags } from '../../clinical/analyzerFlags.ts';
import { news2Bands, news2Parameters } from '../../clinical/news2.ts';
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

/** Seed "Event Authorization": critical values come from device integration or the lab. */
const criticalValuePublishers = ['device-integration-service', 'lab-service'];
const alertActionPublishers = ['gateway-service', 'device-integration-service', 'lab-service'];

const parameterScore = { type: 'integer', enum: [0, 1, 2, 3] };

/** A complete NEWS2 (kernel/clinical/news2.ts) and what in it called for the alert. */
const news2AlertScore = objectOf(['total', 'band', 'scores', 'spo2Scale', 'trigger'], {
  total: { type: 'integer', minimum: 0, maximum: 20 },
  band: { type: 'string', enum: news2Bands },
  /** Every parameter's score, in the chart's order. */
  scores: objectOf(
    news2Parameters,
    Object.fromEntries(news2Parameters.map((name) => [name, parameterScore])),
  ),
  spo2Scale: { type: 'integer', enum: [1, 2] },
  /** `total`: the total reached the rule's threshold; `singleParameter`: one parameter scored 3. */
  trigger: { type: 'string', enum: ['total', 'singleParameter'] },
});

export const alertEvents: EventTypeSpec[] = [
  {
    eventType: 'critical_value_detected',
    // 2.0: an analyzer's critical flag (HL7 2.5.1 table 0078) raises an alert by itself, so
    // `value`, `threshold` and `direction` are no longer always there (a text result has no
    // number, a flag no threshold, AA no direction): a consumer that read them as always
    // present must change, hence a major version. Added: flag, testCode, valueText,
    // measuredAt. Every 1.x event is still a valid 2.0 event (the schema only widened), so
    // the hub accepts both while gateways upgrade (`acceptsMajors`).
    // 2.1: the NEWS2 aggregate-score alert (parameter `news2`) carries the score it was
    // raised on (`news2`), optional and additive; a single-parameter 3 names no threshold.
    version: '2.1',
    acceptsMajors: ['1'],
    topic: 'alert-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description:
      'A reading crossed a critical-value rule, or an analyzer flagged a result critical; opens (or worsens) an alert episode.',
    publishers: criticalValuePublishers,
    dataSchema: {
      ...objectOf(['alertId', 'parameter', 'severity', 'priority', 'ruleId', 'detectedAt'], {
        alertId: id,
        /** The episode's parameter: a vital sign, a lab rule's parameter ("potassium"), or the test code ("WBC"). */
        parameter: text(64),
        /** The value, in `unit`; absent for a text result (`valueText`). */
        value: { type: 'number' },
        /** A result that is not a number ("POSITIVE"), for an alert its flag raised. */
        valueText: text(200),
        unit: text(32),
        /** The rule's limit; absent when the analyzer's flag alone raised the alert. */
        threshold: { type: 'number' },
        /** Absent for a flag without a direction (AA, critically abnormal). */
        direction: { type: 'string', enum: ['low', 'high'] },
        /**
         * `critical`: NEWS2 single-parameter score 3, NEWS2 total >= 7 (emergency), a lab critical
         * limit or flag; `warning`: single-parameter score 2, NEWS2 total >= 5 or a single 3 (urgent review).
         */
        severity: { type: 'string', enum: ['critical', 'warning'] },
        /** IEC 60601-1-8 alarm priority shown to the nurse. */
        priority: { type: 'string', enum: ['high', 'medium'] },
        /** The rule that fired; `analyzer-flag` when the flag alone raised it. */
        ruleId: text(64),
        /** The analyzer's critical flag on the result (HL7 2.5.1 table 0078), when it had one. */
        flag: { type: 'string', enum: criticalFlags },
        /** The lab result's test code, for a lab alert. */
        testCode: text(32),
        deviceId: id,
        bed: text(32),
        /** The alert this one replaces when a value worsens within an episode. */
        supersedesAlertId: id,
        /**
         * The reading's time as the alert rules order readings: the measurement time, never
         * later than the gateway received it; the receive time when the device clock was
         * implausible (docs/architecture.md#alerts-follow-flags-and-measurement-time).
         */
        measuredAt: dateTime,
        detectedAt: dateTime,
        /** The NEWS2 score an aggregate-score alert was raised on (docs/critical-values.md#news2-aggregate-score). */
        news2: news2AlertScore,
      }),
      // A rule's breach names its value, limit and direction; otherwise the flag, or the NEWS2 score, says why.
      anyOf: [
        { required: ['value', 'threshold', 'direction'] },
        { required: ['flag'] },
        { required: ['news2'] },
      ],
    },
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
