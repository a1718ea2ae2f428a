import { describe, expect, it } from 'vitest';
import { decideDownstream } from '../../sync/downstreamDecision.ts';

const hubHeaders = { ce_source: 'nilecare:hub:cds', ce_id: 'x' };
const value = (body: unknown) => Buffer.from(JSON.stringify(body));
const draft = {
  eventId: '0190a0b0-0000-7000-8000-000000000001',
  eventType: 'dose_validation_failed',
  source: 'cds-service',
};

describe('a record of the downstream topic', () => {
  it('is appended when it is keyed by this gateway and sent by a hub service', () => {
    expect(decideDownstream({ key: 'gw-1', value: value(draft), headers: hubHeaders }, 'gw-1')).toEqual({
      kind: 'append',
      draft,
    });
  });

  it('is not ours when another gateway shares the partition', () => {
    expect(decideDownstream({ key: 'gw-2', value: value(draft), headers: hubHeaders }, 'gw-1').kind).toBe(
      'not_ours',
    );
  });

  it('is refused when it does not come from the hub, is not a JSON object, or names a chain position', () => {
    const refused = (record: Parameters<typeof decideDownstream>[0]) => decideDownstream(record, 'gw-1');
    expect(
      refused({ key: 'gw-1', value: value(draft), headers: { ce_source: 'gateway-service' } }),
    ).toMatchObject({
      kind: 'refused',
      reason: 'ce_source is not a hub service',
    });
    expect(refused({ key: 'gw-1', value: Buffer.from('not json'), headers: hubHeaders }).kind).toBe(
      'refused',
    );
    expect(refused({ key: 'gw-1', value: value([1, 2]), headers: hubHeaders }).kind).toBe('refused');
    expect(refused({ key: 'gw-1', value: value({ ...draft, seq: 4 }), headers: hubHeaders })).toMatchObject({
      reason: 'a hub event names no chain position',
    });
  });
});
