/** What the hub's audit and compliance services publish (the platform design, "Event Handlers by Service": Audit service). */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, eventId, id, objectOf, text } from './common.ts';
import { define, family } from './serviceFamily.ts';

export const auditEvents: EventTypeSpec[] = [
  define(
    family('audit-events', 'audit', 'patientOrFacility', 'audit-service'),
    'audit_log_created',
    'The audit service wrote an entry of the audit trail; the envelope names the actor.',
    objectOf(['auditLogId', 'action', 'resourceType', 'outcome', 'loggedAt'], {
      auditLogId: id,
      // biome-ignore format: a list of codes reads best wrapped
      action: { type: 'string', enum: ['create', 'read', 'update', 'delete', 'decrypt', 'export', 'print', 'login', 'logout'] },
      resourceType: text(64),
      resourceId: id,
      outcome: { type: 'string', enum: ['success', 'failure'] },
      sourceEventId: eventId,
      loggedAt: dateTime,
    }),
  ),
  define(
    // sudan-compliance-events: read by the compliance service and the MoH, kept seven
    // years. Lane audit, not alert: it is for compliance officers, not a bedside alarm.
    family('sudan-compliance-events', 'audit', 'patientOrFacility', 'audit-service', 'compliance-service'),
    'compliance_violation_detected',
    'A rule of PHI protection or event integrity was broken (docs/architecture.md#guarantee-4 and #guarantee-8).',
    objectOf(['violationId', 'violationType', 'severity', 'description', 'detectedAt'], {
      violationId: id,
      violationType: {
        type: 'string',
        // biome-ignore format: a list of codes reads best wrapped
        enum: [
          'unauthorized_publisher', 'suspicious_phi_access', 'unencrypted_phi', 'hash_chain_broken',
          'sequence_gap', 'schema_violation', 'other',
        ],
      },
      severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
      description: text(1000),
      offendingEventId: eventId,
      offendingSource: text(64),
      gatewayId: id,
      detectedAt: dateTime,
    }),
  ),
];
