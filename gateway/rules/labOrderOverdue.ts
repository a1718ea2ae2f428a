import type { LabPriority } from '../labOrders/labTestCatalogue.ts';
import { isOpen, type LabOrderStatus } from '../labOrders/orderLifecycle.ts';

/** What the overdue rule reads of an order. */
export interface OrderTiming {
  orderId: string;
  priority: LabPriority;
  orderedAt: string;
  status: LabOrderStatus;
}

/** When the order becomes overdue: ordered at + the catalogue's minutes for its priority; undefined: never. */
export function dueAtOf(
  order: OrderTiming,
  dueMinutes: Partial<Record<LabPriority, number>>,
): Date | undefined {
  const minutes = dueMinutes[order.priority];
  if (minutes === undefined) return undefined;
  return new Date(Date.parse(order.orderedAt) + minutes * 60_000);
}

/** Overdue: still open (no final result for every test, not cancelled) at or after its due time. */
export function isOverdue(
  order: OrderTiming,
  dueMinutes: Partial<Record<LabPriority, number>>,
  now: Date,
): boolean {
  const dueAt = dueAtOf(order, dueMinutes);
  return dueAt !== undefined && isOpen(order.status) && now.getTime() >= dueAt.getTime();
}

const priorityRank: Record<LabPriority, number> = { stat: 0, urgent: 1, routine: 2 };

/**
 * The worklist's order: stat first, then urgent, then routine; the longest
 * waiting first within each; orders placed together by order id (UUIDv7: the
 * order they were placed in).
 */
export function worklistOrder(a: OrderTiming, b: OrderTiming): number {
  return (
    priorityRank[a.priority] - priorityRank[b.priority] ||
    Date.parse(a.orderedAt) - Date.parse(b.orderedAt) ||
    (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)
  );
}
