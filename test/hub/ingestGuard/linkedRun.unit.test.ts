import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type ChainTip, linkedRun } from '../../../hub/ingestGuard/linkedRun.ts';
import { fakeGateway } from '../../harness/fakeGateway.ts';

const genesis: ChainTip = { headSeq: 0, headHash: GENESIS_HASH, headRecordedAt: null, clear: true };
const candidates = (events: ClinicalEvent[], overrides: Record<number, object> = {}) =>
  events.map((event, index) => ({ index, event, contentOk: true, seenBefore: false, ...overrides[index] }));

describe("a batch's linked run of one gateway", () => {
  const gateway = fakeGateway('gw-run');
  const events = [gateway.vitals('p-1', 80), gateway.vitals('p-1', 81), gateway.vitals('p-1', 82)];

  it('takes every event that follows the head in seq and hash, and moves the head to the last', () => {
    expect(linkedRun(genesis, candidates(events))).toEqual({
      indices: [0, 1, 2],
      headSeq: 3,
      headHash: events[2]!.hash,
    });
  });

  it('stops at a hole in seq: the events above it wait for the record path', () => {
    const run = linkedRun(genesis, candidates([events[0]!, events[2]!]));
    expect(run).toEqual({ indices: [0], headSeq: 1, headHash: events[0]!.hash });
  });

  it('stops at an event seen before (stored, refused, or twice in the batch), and takes none after it', () => {
    expect(linkedRun(genesis, candidates(events, { 1: { seenBefore: true } })).indices).toEqual([0]);
  });

  it('stops at an event whose content the catalogue or the publisher policy refuses', () => {
    expect(linkedRun(genesis, candidates(events, { 0: { contentOk: false } })).indices).toEqual([]);
  });

  it('stops at an altered event: its link to the previous hash does not hold', () => {
    const altered = { ...events[1]!, data: { ...events[1]!.data, deviceId: 'monitor-9' } };
    expect(linkedRun(genesis, candidates([events[0]!, altered, events[2]!])).indices).toEqual([0]);
  });

  it('stops where the gateway clock went back, so the record path counts the reset', () => {
    const clocked = fakeGateway('gw-run-clock');
    const first = clocked.vitals('p-1', 80);
    const back = clocked.next(
      {
        eventType: 'device_connected',
        data: { deviceId: 'm', transport: 'mqtt', connectedAt: first.recordedAt },
      },
      { recordedAt: new Date(Date.parse(first.recordedAt) - 60_000) },
    );
    expect(linkedRun(genesis, candidates([first, back])).indices).toEqual([0]);
  });

  it('takes nothing when events wait above the head or a hole above it is explained: they are settled one by one', () => {
    expect(linkedRun({ ...genesis, clear: false }, candidates(events)).indices).toEqual([]);
  });

  it('continues a chain from a head that is not genesis', () => {
    const tip: ChainTip = {
      headSeq: 1,
      headHash: events[0]!.hash,
      headRecordedAt: events[0]!.recordedAt,
      clear: true,
    };
    expect(linkedRun(tip, candidates(events.slice(1))).headSeq).toBe(3);
    expect(linkedRun(tip, candidates(events)).indices).toEqual([]); // seq 1 again is no follower
  });
});
