import { canonicalJson } from '../../kernel/events/canonical.ts';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft } from '../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { validateDraft } from '../../kernel/events/validateEvent.ts';
import { cloudEventsSpecVersion } from '../../kernel/kafka/wireFormat.ts';
import type { RejectionCode } from '../errors.ts';
import type { OutgoingRecord } from '../services/hubService.ts';
import { hubSourcePrefix } from './recordChecks.ts';

/** `violationType` of compliance_violation_detected (kernel/events/schemas/audit.ts). */
export type ViolationType =
  | 'unauthorized_publisher'
  | 'hash_chain_broken'
  | 'sequence_gap'
  | 'schema_violation'
  | 'other';

type Severity = 'low' | 'medium' | 'high' | 'critical';

/** The violation each refusal is, and how serious (docs/architecture.md#guarantee-4 and #guarantee-8). */
export function violationOf(code: RejectionCode): { violationType: ViolationType; severity: Severity } {
  switch (code) {
    case 'HUB_ERR_PUBLISHER_UNAUTHORISED':
      return { violationType: 'unauthorized_publisher', severity: 'high' };
    case 'HUB_ERR_CHAIN_BROKEN':
      return { violationType: 'hash_chain_broken', severity: 'critical' };
    case 'HUB_ERR_EVENT_CONFLICT':
      // A second, different copy of an event or of a seq: the chain was rewritten.
      return { violationType: 'hash_chain_broken', severity: 'critical' };
    case 'HUB_ERR_SEQ_GAP':
      return { violationType: 'sequence_gap', severity: 'high' };
    case 'HUB_ERR_EVENT_INVALID':
    case 'HUB_ERR_RECORD_UNREADABLE':
      return { violationType: 'schema_violation', severity: 'medium' };
    case 'HUB_ERR_PROCESSING_FAILED':
    case 'HUB_ERR_EVENT_NOT_GUARDED':
      return { violationType: 'other', severity: 'medium' };
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

/** What is known of the offending record; every field is checked before use (it may be garbage). */
export interface Offender {
  eventId?: unknown;
  source?: unknown;
  gatewayId?: unknown;
  patientId?: unknown;
  facilityId?: unknown;
  tenantId?: unknown;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const shortText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 64;

/**
 * compliance_violation_detected for one refusal, published by the
 * compliance service. It names the offending event, source and gateway, and
 * carries the patient only as the routing key's id: never PHI.
 */
export function complianceViolation(input: {
  code: RejectionCode;
  description: string;
  offender: Offender;
  now: Date;
  newId: IdSource;
  hub: { facilityId: string; tenantId: string; version: string };
}): EventDraft {
  const { offender } = input;
  const eventId = uuid.test(String(offender.eventId)) ? String(offender.eventId) : undefined;
  const draft = eventDraft(
    {
      eventId: input.newId(),
      eventType: 'compliance_violation_detected',
      timestamp: input.now.toISOString(),
      facility: {
        facilityId: shortText(offender.facilityId) ? offender.facilityId : input.hub.facilityId,
        tenantId: shortText(offender.tenantId) ? offender.tenantId : input.hub.tenantId,
      },
      patientId: shortText(offender.patientId) ? offender.patientId : undefined,
      ...(eventId ? { causationId: eventId, correlationId: eventId } : {}),
      source: 'compliance-service',
      sourceVersion: input.hub.version,
    },
    {
      violationId: input.newId(),
      ...violationOf(input.code),
      description: input.description.slice(0, 1000),
      ...(eventId ? { offendingEventId: eventId } : {}),
      ...(shortText(offender.source) ? { offendingSource: offender.source } : {}),
      ...(shortText(offender.gatewayId) ? { gatewayId: offender.gatewayId } : {}),
      detectedAt: input.now.toISOString(),
    },
  );
  const checked = validateDraft(draft);
  if (!checked.ok)
    throw new Error(`compliance_violation_detected is invalid: ${JSON.stringify(checked.issues)}`);
  return draft;
}

/**
 * A hub event on Kafka: the CloudEvents binding of kernel/kafka/wireFormat.ts, with
 * `ce_source` = nilecare:hub:<service> and no gatewayId/seq (it is in no
 * gateway's chain).
 */
export function hubEventRecord(draft: EventDraft, topic: string, service: string): OutgoingRecord {
  return {
    topic,
    key: draft.patientId ?? draft.facilityId,
    value: canonicalJson(draft),
    headers: {
      ce_specversion: cloudEventsSpecVersion,
      ce_id: draft.eventId,
      ce_type: draft.eventType,
      ce_source: `${hubSourcePrefix}${service}`,
      ce_time: draft.timestamp,
      'content-type': 'application/json',
      ce_dataschemaversion: draft.version,
    },
  };
}
