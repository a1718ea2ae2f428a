import type { LabPriority } from '../labOrders/labTestCatalogue.ts';
import { isOpen, type LabOrderStatus } from '../labOrders/orderLifecycle.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { dueAtOf, isOverdue } from './labOrderOverdue.ts';

/**
 * An overdue lab order is an alert like a critical value
 * (docs/lab-orders.md#overdue-orders): one episode per order, parameter
 * `lab_order_overdue:<orderId>`, value the minutes waited and threshold the
 * minutes allowed, so the alert list, acknowledgement and escalation
 * (docs/architecture.md#guarantee-6) treat it as they treat every alert.
 */
export const overdueRuleId = 'lab-order-overdue';
export const overdueParameterPrefix = 'lab_order_overdue:';

export interface OverdueOrder {
  orderId: string;
  patientId: string;
  priority: LabPriority;
  orderedAt: string;
  status: LabOrderStatus;
}

export type OverdueDecision =
  | {
      kind: 'raise';
      order: OverdueOrder;
      parameter: string;
      waitedMinutes: number;
      dueMinutes: number;
      severity: 'critical' | 'warning';
      priority: 'high' | 'medium';
    }
  | { kind: 'resolve'; episode: AlertEpisodeDoc; why: 'resulted' | 'cancelled' | 'gone' };

export const overdueParameter = (orderId: string) => `${overdueParameterPrefix}${orderId}`;

/**
 * What the overdue rule does now (pure): raise for each open order past its
 * due time that has no open episode; resolve each open overdue episode whose
 * order is resulted or cancelled. A stat order overdue is a high-priority
 * critical alert, an urgent or routine one a medium-priority warning.
 */
export function decideOverdueAlerts(input: {
  now: Date;
  dueMinutes: Partial<Record<LabPriority, number>>;
  openOrders: readonly OverdueOrder[];
  openEpisodes: readonly AlertEpisodeDoc[];
  orderById: (orderId: string) => OverdueOrder | undefined;
}): OverdueDecision[] {
  const { now, dueMinutes } = input;
  const episodes = input.openEpisodes.filter((episode) =>
    episode.parameter.startsWith(overdueParameterPrefix),
  );
  const alerted = new Set(episodes.map((episode) => episode.parameter));
  const raises: OverdueDecision[] = input.openOrders
    .filter((order) => isOverdue(order, dueMinutes, now) && !alerted.has(overdueParameter(order.orderId)))
    .map((order) => ({
      kind: 'raise',
      order,
      parameter: overdueParameter(order.orderId),
      waitedMinutes: Math.floor((now.getTime() - Date.parse(order.orderedAt)) / 60_000),
      dueMinutes: Math.round(
        ((dueAtOf(order, dueMinutes)?.getTime() ?? 0) - Date.parse(order.orderedAt)) / 60_000,
      ),
      severity: order.priority === 'stat' ? 'critical' : 'warning',
      priority: order.priority === 'stat' ? 'high' : 'medium',
    }));
  const resolves: OverdueDecision[] = episodes.flatMap((episode) => {
    const order = input.orderById(episode.parameter.slice(overdueParameterPrefix.length));
    if (order && isOpen(order.status)) return [];
    const why = !order ? 'gone' : order.status === 'cancelled' ? 'cancelled' : 'resulted';
    return [{ kind: 'resolve', episode, why } as const];
  });
  return [...raises, ...resolves];
}
