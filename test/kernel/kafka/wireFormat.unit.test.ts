import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedBody } from '../../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { fromWireRecord, toWireRecord, toWireRecordFromStored } from '../../../kernel/kafka/wireFormat.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const build = eventBuilder();
const base = build.event(
  'vital_signs_recorded',
  {
    method: 'device',
    deviceId: 'monitor-1',
    deviceSeq: 1,
    measuredAt: '2025-03-01T08:00:00.000Z',
    heartRate: { value: 70, unit: '/min' },
  },
  { patientId: 'p-1', source: 'device-integration-service' },
);

/** JSON values as events carry them (no -0, no undefined). */
const jsonValue = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe('a record built from the bytes the log stored', () => {
  it('is byte for byte the record toWireRecord builds, whatever the metadata, names and optional members', () => {
    fc.assert(
      fc.property(
        fc.option(fc.dictionary(fc.string(), jsonValue), { nil: undefined }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (metadata, userName, sudanState, hash) => {
          const event = {
            ...base,
            ...(metadata ? { metadata: metadata as ClinicalEvent['metadata'] } : {}),
            ...(userName ? { userName, userId: 'u-1', userRole: 'nurse' } : {}),
            ...(sudanState ? { sudanState } : {}),
            hash: hash.toLowerCase(),
          } as ClinicalEvent;
          const stored = hashedBody(event);
          const parsed = { ...(JSON.parse(stored) as ClinicalEvent), hash: event.hash };
          expect(toWireRecordFromStored(parsed, stored)).toEqual(toWireRecord(parsed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('falls back to serialising the event when the stored body is not its canonical form', () => {
    const stored = JSON.stringify({ ...base, hash: undefined });
    expect(toWireRecordFromStored(base, stored).value).toBe(toWireRecord(base).value);
  });

  it('reads back on the hub as the same event', () => {
    const record = toWireRecordFromStored(base, hashedBody(base));
    const decoded = fromWireRecord(Buffer.from(record.value), record.headers);
    expect(decoded).toMatchObject({ ok: true, event: base });
  });
});

describe('a record whose value is JSON but not an event object', () => {
  it.each(['null', '5', '"text"', '[1,2]'])('is refused with a reason, not a crash: %s', (value) => {
    expect(fromWireRecord(Buffer.from(value), { ce_id: 'x', seq: '1', gatewayId: 'gw' })).toEqual({
      ok: false,
      reason: 'record value is not a JSON object',
    });
  });
});
