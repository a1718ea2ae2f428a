import { describe, expect, it } from 'vitest';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { RejectionCode } from '../../../hub/errors.ts';
import {
  complianceViolation,
  hubEventRecord,
  violationOf,
} from '../../../hub/ingestGuard/complianceViolation.ts';
import { decodeRecord } from '../../../hub/ingestGuard/recordChecks.ts';

let n = 0;
const newId = () => `01900000-0000-7000-8000-${(++n).toString(16).padStart(12, '0')}`;
const now = new Date('2026-02-01T10:00:00Z');
const hub = { facilityId: 'hub', tenantId: 'hub', version: '0.1.0' };

describe('compliance_violation_detected', () => {
  it('names the offending event, source and gateway, and is valid in the catalogue', () => {
    const draft = complianceViolation({
      code: 'HUB_ERR_CHAIN_BROKEN',
      description: 'Hash chain of gateway gw-1 broken at seq 2',
      offender: {
        eventId: '01900000-0000-7000-8000-0000000000ff',
        source: 'device-integration-service',
        gatewayId: 'gw-1',
        patientId: 'p-1',
        facilityId: 'facility-1',
        tenantId: 'tenant-1',
      },
      now,
      newId,
      hub,
    });
    expect(validateDraft(draft).ok).toBe(true);
    expect(draft).toMatchObject({
      eventType: 'compliance_violation_detected',
      source: 'compliance-service',
      patientId: 'p-1',
      facilityId: 'facility-1',
      causationId: '01900000-0000-7000-8000-0000000000ff',
      data: {
        violationType: 'hash_chain_broken',
        severity: 'critical',
        offendingEventId: '01900000-0000-7000-8000-0000000000ff',
        offendingSource: 'device-integration-service',
        gatewayId: 'gw-1',
        detectedAt: now.toISOString(),
      },
    });
  });

  it('stays valid when the offending record is garbage, falling back to the hub facility', () => {
    const draft = complianceViolation({
      code: 'HUB_ERR_RECORD_UNREADABLE',
      description: 'x'.repeat(5000),
      offender: { eventId: 'nope', source: 42, gatewayId: 'g'.repeat(300), facilityId: '' },
      now,
      newId,
      hub,
    });
    expect(validateDraft(draft).ok).toBe(true);
    expect(draft.facilityId).toBe('hub');
    expect(draft.data).not.toHaveProperty('offendingEventId');
    expect(draft.data).not.toHaveProperty('gatewayId');
  });

  it.each<[RejectionCode, string]>([
    ['HUB_ERR_PUBLISHER_UNAUTHORISED', 'unauthorized_publisher'],
    ['HUB_ERR_CHAIN_BROKEN', 'hash_chain_broken'],
    ['HUB_ERR_EVENT_CONFLICT', 'hash_chain_broken'],
    ['HUB_ERR_SEQ_GAP', 'sequence_gap'],
    ['HUB_ERR_EVENT_INVALID', 'schema_violation'],
    ['HUB_ERR_RECORD_UNREADABLE', 'schema_violation'],
    ['HUB_ERR_PROCESSING_FAILED', 'other'],
  ])('is of type %s for %s', (code, violationType) => {
    expect(violationOf(code).violationType).toBe(violationType);
  });

  it("travels as a hub event: CloudEvents headers, no gatewayId, which the guard reads back as the hub's own", () => {
    const draft = complianceViolation({
      code: 'HUB_ERR_SEQ_GAP',
      description: 'gap',
      offender: {},
      now,
      newId,
      hub,
    });
    const record = hubEventRecord(draft, 'sudan-compliance-events', 'ingest-guard');
    expect(record.headers).toMatchObject({
      ce_id: draft.eventId,
      ce_type: 'compliance_violation_detected',
      ce_source: 'nilecare:hub:ingest-guard',
    });
    expect(record.headers).not.toHaveProperty('gatewayId');
    expect(record.key).toBe('hub');
    expect(decodeRecord({ value: Buffer.from(String(record.value)), headers: record.headers }).kind).toBe(
      'hub',
    );
  });
});
