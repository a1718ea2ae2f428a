import type { LabOrderBook, PlacedLabOrder } from '../../gateway/pluginApi.ts';

/** A LabOrderBook in memory for driver tests: `place` stores an order and tells the listeners, as the read model does. */
export interface InMemoryLabOrderBook extends LabOrderBook {
  place(order: PlacedLabOrder): void;
}

export function inMemoryLabOrderBook(orders: PlacedLabOrder[] = []): InMemoryLabOrderBook {
  const byId = new Map(orders.map((order) => [order.orderId, order]));
  const listeners = new Set<(order: PlacedLabOrder) => void>();
  return {
    ordersForSpecimen: (specimenId) =>
      [...byId.values()].filter((order) => order.specimenId === specimenId && order.status !== 'cancelled'),
    orderById: (orderId) => byId.get(orderId),
    ordersForPerformer: (performer) => [...byId.values()].filter((order) => order.performer === performer),
    onOrderChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    place(order) {
      byId.set(order.orderId, order);
      for (const listener of listeners) listener(order);
    },
  };
}

/** A stat potassium and sodium on one serum tube, as the chart orders it. */
export function placedOrder(overrides: Partial<PlacedLabOrder> = {}): PlacedLabOrder {
  return {
    orderId: 'ord-0001',
    specimenId: 'SPC-0001',
    specimenType: 'serum',
    patientId: 'patient-1',
    tests: [
      { testCode: 'K', testName: 'Potassium', loinc: '2823-3' },
      { testCode: 'NA', testName: 'Sodium', loinc: '2951-2' },
    ],
    priority: 'stat',
    orderedAt: '2026-12-07T08:30:00.000Z',
    status: 'ordered',
    ...overrides,
  };
}
