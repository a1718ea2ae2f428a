import { describe, expect, it } from 'vitest';
import { cataloguePublishers } from '../../../hub/ingestGuard/publisherPolicy.ts';
import { chainPositionProblem, contentProblem, decodeRecord } from '../../../hub/ingestGuard/recordChecks.ts';
import { toWireRecord } from '../../../kernel/kafka/wireFormat.ts';
import { fakeGateway } from '../../harness/fakeGateway.ts';

const gateway = fakeGateway('gw-unit');
const record = (value: string | null, headers: Record<string, string> = {}) => ({
  value: value === null ? null : Buffer.from(value),
  headers,
});

describe('decoding a record from one of the ten topics', () => {
  it('reads a gateway event sent by the sync engine', () => {
    const event = gateway.vitals('p-1', 80);
    const wire = toWireRecord(event);
    const decoded = decodeRecord(record(wire.value, wire.headers as Record<string, string>));
    expect(decoded).toMatchObject({ kind: 'gateway', event: { eventId: event.eventId, seq: event.seq } });
    expect(decoded.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['not JSON', '{"eventId": oops', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['a JSON number', '42', 'not a JSON object'],
    ['a JSON array', '[1,2]', 'not a JSON object'],
  ])('refuses %s as unreadable, without throwing', (_what, value, reason) => {
    const decoded = decodeRecord(record(value, { ce_id: 'x', gatewayId: 'gw', seq: '1' }));
    expect(decoded.kind).toBe('refused');
    if (decoded.kind === 'refused') {
      expect(decoded.reason.code).toBe('HUB_ERR_RECORD_UNREADABLE');
      expect(decoded.reason.message).toContain(reason);
    }
  });

  it('refuses a record with no value', () => {
    const decoded = decodeRecord(record(null));
    expect(decoded.kind === 'refused' && decoded.reason.message).toContain('no value');
  });

  it('refuses a record whose headers disagree with its value', () => {
    const event = gateway.vitals('p-1', 81);
    const wire = toWireRecord(event);
    const decoded = decodeRecord(
      record(wire.value, { ...(wire.headers as Record<string, string>), seq: '999' }),
    );
    expect(decoded.kind === 'refused' && decoded.reason.message).toContain('gatewayId/seq differ');
  });

  it("tells the hub's own events (ce_source nilecare:hub:..., no gatewayId) from gateway events", () => {
    const decoded = decodeRecord(
      record('{"eventType":"compliance_violation_detected"}', { ce_source: 'nilecare:hub:ingest-guard' }),
    );
    expect(decoded.kind).toBe('hub');
  });

  it("checks a gateway event dressed as the hub's (no gatewayId header) as a gateway event, and refuses it", () => {
    const wire = toWireRecord(gateway.vitals('p-1', 82));
    const { gatewayId: _dropped, ...headers } = wire.headers as Record<string, string>;
    const decoded = decodeRecord(record(wire.value, { ...headers, ce_source: 'nilecare:hub:ingest-guard' }));
    expect(decoded.kind === 'refused' && decoded.reason.message).toContain('gatewayId/seq differ');
  });
});

describe('the chain position of a gateway event', () => {
  const event = gateway.vitals('p-2', 70);
  it('is complete for an event a gateway made', () => {
    expect(chainPositionProblem(event)).toBeUndefined();
  });
  it.each([
    [{ eventId: 'not-a-uuid' }, 'eventId'],
    [{ gatewayId: '' }, 'gatewayId'],
    [{ seq: 0 }, 'seq'],
    [{ seq: 1.5 }, 'seq'],
    [{ hash: 'abc' }, 'hash'],
    [{ recordedAt: undefined }, 'recordedAt'],
  ])('names what is missing: %o', (change, field) => {
    expect(chainPositionProblem({ ...event, ...change })).toContain(field);
  });
});

describe('the content of an event', () => {
  const policy = cataloguePublishers();
  it('passes an event of the catalogue from an authorised source', () => {
    expect(contentProblem({ ...gateway.vitals('p-3', 60) }, policy)).toBeUndefined();
  });
  it('names the field and rule of a schema break', () => {
    const problem = contentProblem({ ...gateway.vitals('p-3', 400) }, policy);
    expect(problem?.code).toBe('HUB_ERR_EVENT_INVALID');
    expect(problem?.message).toContain('/data/heartRate/value');
    expect(problem?.message).toContain('rule: maximum');
  });
  it('refuses a type the catalogue does not know', () => {
    const problem = contentProblem({ ...gateway.vitals('p-3', 60), eventType: 'patient_teleported' }, policy);
    expect(problem?.message).toContain('not in the event catalogue');
  });
  it("refuses a source not among the type's publishers, and lists who may", () => {
    const problem = contentProblem({ ...gateway.vitals('p-3', 60), source: 'billing-service' }, policy);
    expect(problem).toEqual({
      code: 'HUB_ERR_PUBLISHER_UNAUTHORISED',
      message:
        'Source "billing-service" may not publish vital_signs_recorded (authorised: device-integration-service, gateway-service)',
    });
  });
});
