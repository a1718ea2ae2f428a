import { describe, expect, it } from 'vitest';
import type { AlertEpisodeDoc } from '../../../gateway/projections/alertEpisodes.ts';
import {
  decideOverdueAlerts,
  type OverdueOrder,
  overdueParameter,
} from '../../../gateway/rules/labOrderOverdueAlerts.ts';

const dueMinutes = { stat: 60, urgent: 240 };
const statPotassium: OverdueOrder = {
  orderId: 'o-1',
  patientId: 'p-1',
  priority: 'stat',
  orderedAt: '2026-12-07T08:00:00.000Z',
  status: 'collected',
};
const episodeOf = (order: OverdueOrder): AlertEpisodeDoc => ({
  subjectId: order.patientId,
  parameter: overdueParameter(order.orderId),
  alertId: 'a-1',
  severity: 'critical',
  direction: 'high',
  measuredAt: '2026-12-07T09:00:00.000Z',
});

/** Given the orders and episodes there are, when the clock reads `time`, then the rule decides. */
function given(orders: OverdueOrder[], episodes: AlertEpisodeDoc[] = []) {
  return {
    when: (time: string) =>
      decideOverdueAlerts({
        now: new Date(`2026-12-07T${time}:00.000Z`),
        dueMinutes,
        openOrders: orders.filter((order) => order.status !== 'resulted' && order.status !== 'cancelled'),
        openEpisodes: episodes,
        orderById: (orderId) => orders.find((order) => order.orderId === orderId),
      }),
  };
}

describe('overdue lab orders as alerts', () => {
  it('raises nothing while a stat order is within its hour', () => {
    expect(given([statPotassium]).when('08:59')).toEqual([]);
  });

  it('raises one high-priority critical alert when a stat order passes its hour without a final result', () => {
    expect(given([statPotassium]).when('09:05')).toEqual([
      {
        kind: 'raise',
        order: statPotassium,
        parameter: 'lab_order_overdue:o-1',
        waitedMinutes: 65,
        dueMinutes: 60,
        severity: 'critical',
        priority: 'high',
      },
    ]);
  });

  it('raises an overdue urgent order as a medium-priority warning', () => {
    const urgent = { ...statPotassium, priority: 'urgent' as const };
    expect(given([urgent]).when('12:00')).toMatchObject([
      { kind: 'raise', severity: 'warning', priority: 'medium' },
    ]);
  });

  it('raises no second alert while the episode is open, partial results or not', () => {
    expect(
      given([{ ...statPotassium, status: 'partial' }], [episodeOf(statPotassium)]).when('10:00'),
    ).toEqual([]);
  });

  it('resolves the episode once every test is final, and once the order is cancelled', () => {
    const episode = episodeOf(statPotassium);
    expect(given([{ ...statPotassium, status: 'resulted' }], [episode]).when('10:00')).toEqual([
      { kind: 'resolve', episode, why: 'resulted' },
    ]);
    expect(given([{ ...statPotassium, status: 'cancelled' }], [episode]).when('10:00')).toEqual([
      { kind: 'resolve', episode, why: 'cancelled' },
    ]);
  });

  it("leaves other rules' episodes alone", () => {
    const potassiumHigh = { ...episodeOf(statPotassium), parameter: 'potassium' };
    expect(given([], [potassiumHigh]).when('10:00')).toEqual([]);
  });

  it('never raises for a routine order (no deadline by default)', () => {
    expect(given([{ ...statPotassium, priority: 'routine' }]).when('23:00')).toEqual([]);
  });
});
