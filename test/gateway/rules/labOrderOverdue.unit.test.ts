import { describe, expect, it } from 'vitest';
import { dueAtOf, isOverdue, worklistOrder } from '../../../gateway/rules/labOrderOverdue.ts';

const dueMinutes = { stat: 60, urgent: 240 };
const order = (priority: 'stat' | 'urgent' | 'routine', status = 'ordered' as const, orderId = 'o-1') => ({
  orderId,
  priority,
  orderedAt: '2026-12-07T08:00:00.000Z',
  status,
});
const at = (time: string) => new Date(`2026-12-07T${time}:00.000Z`);

describe('when a lab order is overdue', () => {
  it('a stat order is due an hour after it was placed, an urgent one four hours after', () => {
    expect(dueAtOf(order('stat'), dueMinutes)?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(dueAtOf(order('urgent'), dueMinutes)?.toISOString()).toBe('2026-12-07T12:00:00.000Z');
  });

  it('a stat order is not overdue at 59 minutes and is at 60', () => {
    expect(isOverdue(order('stat'), dueMinutes, at('08:59'))).toBe(false);
    expect(isOverdue(order('stat'), dueMinutes, at('09:00'))).toBe(true);
  });

  it('a routine order is never overdue unless the catalogue gives routine a deadline', () => {
    expect(isOverdue(order('routine'), dueMinutes, at('23:59'))).toBe(false);
    expect(isOverdue(order('routine'), { ...dueMinutes, routine: 600 }, at('18:00'))).toBe(true);
  });

  it('an order resulted or cancelled is never overdue; one with only some results still is', () => {
    const late = at('10:00');
    expect(isOverdue({ ...order('stat'), status: 'resulted' }, dueMinutes, late)).toBe(false);
    expect(isOverdue({ ...order('stat'), status: 'cancelled' }, dueMinutes, late)).toBe(false);
    expect(isOverdue({ ...order('stat'), status: 'partial' }, dueMinutes, late)).toBe(true);
  });

  it('the worklist shows stat first, then urgent, then routine, the longest waiting first', () => {
    const earlier = { ...order('routine', 'ordered', 'o-a'), orderedAt: '2026-12-07T07:00:00.000Z' };
    const sorted = [
      order('routine', 'ordered', 'o-b'),
      order('urgent', 'ordered', 'o-c'),
      earlier,
      order('stat', 'ordered', 'o-d'),
    ].sort(worklistOrder);
    expect(sorted.map((entry) => entry.orderId)).toEqual(['o-d', 'o-c', 'o-a', 'o-b']);
  });
});
