/**
 * Sudan-specific events (the platform design, "Sudan-Specific Events": the two examples,
 * field for field; "Event Security" > "Event Authorization": the
 * sudan-compliance-events topic). Both go to sudan-compliance-events, kept
 * seven years for the Ministry of Health.
 */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

/** Seed `authorizedPublishers['sudan-compliance-events']`. */
const complianceServices = ['audit-service', 'compliance-service'];

/** IPv4 or IPv6 address of the reader's device (the platform design's example: "192.168.1.100"). */
const ipAddress = { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] } as const;

/** "Q3 2024", "H1 2024", "2024", "2024-10" or ISO week "2024-W41". */
const reportingPeriodPattern =
  '^(Q[1-4] [0-9]{4}|H[12] [0-9]{4}|[0-9]{4}(-(0[1-9]|1[0-2])|-W(0[1-9]|[1-4][0-9]|5[0-3]))?)$';

export const sudanEvents: EventTypeSpec[] = [
  {
    eventType: 'sudan_national_id_accessed',
    version: '1.0',
    topic: 'sudan-compliance-events',
    lane: 'audit',
    subject: 'patient',
    description: "Someone read a patient's national ID in clear; the audit and compliance services log it.",
    // Emitted where the ID is decrypted (docs/architecture.md#guarantee-8). The gateway's
    // PHI reader publishes it as audit-service, the way its device path publishes
    // as device-integration-service (eventTypeSpec.ts, gatewaySources), so the
    // platform design's authorization of this topic holds unchanged.
    publishers: complianceServices,
    actorRequired: true,
    dataSchema: objectOf(['accessReason', 'accessedAt', 'ipAddress', 'requiresAudit'], {
      /** Seed example: "Medical consultation". */
      accessReason: text(200),
      accessedAt: dateTime,
      ipAddress,
      requiresAudit: { type: 'boolean' },
    }),
  },
  {
    eventType: 'sudan_moh_report_generated',
    version: '1.0',
    topic: 'sudan-compliance-events',
    lane: 'audit',
    subject: 'facility',
    description:
      'A Ministry of Health report (quality metrics, notifiable diseases ...) was generated for the facility.',
    publishers: complianceServices,
    dataSchema: objectOf(
      ['reportId', 'reportType', 'reportingPeriod', 'complianceStatus', 'overallScore', 'generatedAt'],
      {
        reportId: id,
        /** Seed example: "quarterly_quality_metrics"; snake_case, open-ended as the MoH adds reports. */
        reportType: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 },
        reportingPeriod: { type: 'string', pattern: reportingPeriodPattern, maxLength: 16 },
        complianceStatus: { type: 'string', enum: ['compliant', 'partially_compliant', 'non_compliant'] },
        overallScore: { type: 'number', minimum: 0, maximum: 100 },
        generatedAt: dateTime,
      },
    ),
  },
];
