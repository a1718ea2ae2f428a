import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type BatchKnowledge, storedTogether } from '../../../hub/ingestGuard/batchPlan.ts';
import { fakeGateway } from '../../harness/fakeGateway.ts';

const nothingKnown: BatchKnowledge = { headSeq: () => 0, seen: new Set(), occupied: new Set() };
const candidates = (events: ClinicalEvent[], contentOk: (index: number) => boolean = () => true) =>
  events.map((event, index) => ({ index, event, contentOk: contentOk(index) }));

describe('the events of a batch the guard stores together before settling their chains', () => {
  const gateway = fakeGateway('gw-plan');
  const other = fakeGateway('gw-plan-other');
  const events = [gateway.vitals('p-1', 80), gateway.vitals('p-1', 81), gateway.vitals('p-1', 82)];

  it('are every new event of every gateway, in any seq order and with holes between them', () => {
    const mixed = [events[2]!, other.vitals('p-2', 70), events[0]!];
    expect(storedTogether(candidates(mixed), nothingKnown)).toEqual([0, 1, 2]);
  });

  it('leave out an eventId stored or refused before, and both copies of one that comes twice in the batch', () => {
    const known = { ...nothingKnown, seen: new Set([events[0]!.eventId.toLowerCase()]) };
    expect(storedTogether(candidates(events), known)).toEqual([1, 2]);
    expect(storedTogether(candidates([events[0]!, events[1]!, events[1]!]), nothingKnown)).toEqual([0]);
  });

  it('leave out two events that claim one seq, and an event whose seq is stored already', () => {
    const forged = { ...events[1]!, eventId: '01900000-0000-7000-8000-000000000001' };
    expect(storedTogether(candidates([events[0]!, events[1]!, forged]), nothingKnown)).toEqual([0]);
    const known = { ...nothingKnown, occupied: new Set([`${gateway.gatewayId} 3`]) };
    expect(storedTogether(candidates(events), known)).toEqual([0, 1]);
  });

  it('leave out a late event (at or below the head), one with refused content and one whose gateway flagged a clock reset', () => {
    expect(storedTogether(candidates(events), { ...nothingKnown, headSeq: () => 2 })).toEqual([2]);
    expect(
      storedTogether(
        candidates(events, (index) => index !== 1),
        nothingKnown,
      ),
    ).toEqual([0, 2]);
    const reset = { ...events[2]!, metadata: { gatewayClockWentBackwards: true } };
    expect(storedTogether(candidates([events[0]!, events[1]!, reset]), nothingKnown)).toEqual([0, 1]);
  });
});
