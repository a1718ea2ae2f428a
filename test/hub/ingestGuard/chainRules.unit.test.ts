import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../kernel/events/chainHash.ts';
import { linkHolds, settledVerdict } from '../../../hub/ingestGuard/chainLink.ts';
import { gapDue } from '../../../hub/ingestGuard/gapDecisions.ts';
import { clockOffsetMs, clockWentBackwards } from '../../../hub/ingestGuard/gatewayClock.ts';
import { fakeGateway } from '../../harness/fakeGateway.ts';

describe('a link of the hash chain', () => {
  const gateway = fakeGateway('gw-chain');
  const first = gateway.vitals('p-1', 80);
  const second = gateway.vitals('p-1', 81);

  it('holds from the genesis hash to seq 1 and from each hash to the next event', () => {
    expect(linkHolds(GENESIS_HASH, first)).toBe(true);
    expect(linkHolds(first.hash, second)).toBe(true);
  });
  it('breaks when one byte of the body changed', () => {
    expect(linkHolds(first.hash, { ...second, data: { ...second.data, deviceId: 'monitor-2' } })).toBe(false);
  });
  it('breaks when the previous hash is not the one the event was chained to', () => {
    expect(linkHolds(GENESIS_HASH, second)).toBe(false);
  });
  it('accepts only an event whose link holds and whose content passed', () => {
    expect(settledVerdict({ contentOk: true }, true)).toEqual({
      chain: 'linked',
      accept: true,
      breaksChain: false,
    });
    expect(settledVerdict({ contentOk: false }, true)).toEqual({
      chain: 'linked',
      accept: false,
      breaksChain: false,
    });
    expect(settledVerdict({ contentOk: true }, false)).toEqual({
      chain: 'broken',
      accept: false,
      breaksChain: true,
    });
  });
});

describe('a hole in seq', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const waitedSince = (ms: number) => new Date(now.getTime() - ms);

  it('is not reported while the event after it has waited less than the grace time', () => {
    expect(gapDue(2, { nextSeq: 5, oldestReceivedAt: waitedSince(59_000) }, now, 60_000)).toBeUndefined();
  });
  it('is reported, from the seq after the head to the one before the next stored, once the grace time is over', () => {
    expect(gapDue(2, { nextSeq: 5, oldestReceivedAt: waitedSince(60_000) }, now, 60_000)).toEqual({
      fromSeq: 3,
      toSeq: 4,
      firstAfter: 5,
      waitedMs: 60_000,
    });
  });
  it('is reported at once at a check with no grace', () => {
    expect(gapDue(0, { nextSeq: 2, oldestReceivedAt: now }, now, 0)).toMatchObject({ fromSeq: 1, toSeq: 1 });
  });
  it('does not exist when the next stored seq follows the head, or nothing waits', () => {
    expect(gapDue(2, { nextSeq: 3, oldestReceivedAt: waitedSince(1e9) }, now, 0)).toBeUndefined();
    expect(gapDue(2, undefined, now, 0)).toBeUndefined();
  });
});

describe("a gateway's clock", () => {
  it('is offset by hub receive time minus recordedAt', () => {
    expect(clockOffsetMs(new Date('2026-01-01T12:00:00Z'), '2026-01-01T11:00:00Z')).toBe(3_600_000);
    expect(clockOffsetMs(new Date('2026-01-01T12:00:00Z'), '2026-01-01T12:00:05Z')).toBe(-5000);
    expect(clockOffsetMs(new Date(), 'yesterday')).toBeUndefined();
  });
  it("went backwards when the gateway says so, or when recordedAt is earlier than the previous seq's", () => {
    expect(
      clockWentBackwards({
        recordedAt: '2026-01-01T12:00:00Z',
        metadata: { gatewayClockWentBackwards: true },
      }),
    ).toBe(true);
    // As the gateway's event log writes the flag: the time it went back from.
    expect(
      clockWentBackwards({
        recordedAt: '2026-01-01T11:00:00Z',
        metadata: { gatewayClockWentBackwards: { previousRecordedAt: '2026-01-01T12:00:00Z' } },
      }),
    ).toBe(true);
    expect(clockWentBackwards({ recordedAt: '2026-01-01T11:59:00Z' }, '2026-01-01T12:00:00Z')).toBe(true);
    expect(clockWentBackwards({ recordedAt: '2026-01-01T12:00:01Z' }, '2026-01-01T12:00:00Z')).toBe(false);
    expect(clockWentBackwards({ recordedAt: '2026-01-01T12:00:01Z' })).toBe(false);
  });
});
