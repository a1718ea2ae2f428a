import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { LabOrdersDoc, LabOrderView } from '../projections/labOrders.ts';
import type { ProjectionStore } from '../projections/projectionStore.ts';
import type { LiveFeed } from '../recording/liveFeed.ts';
import type { LabOrderBook, PlacedLabOrder } from './labOrderBook.ts';
import type { LabTestCatalogue } from './labTestCatalogue.ts';
import { isOpen } from './orderLifecycle.ts';

/** The analyzer drivers' book, and what the chart, the worklist and the overdue rule read. */
export interface GatewayLabOrders extends LabOrderBook {
  catalogue: LabTestCatalogue;
  /** The order as the chart shows it (with notes, results and who ordered). */
  viewOf(orderId: string): LabOrderView | undefined;
  /** A patient's orders, oldest first. */
  ofPatient(patientId: string): LabOrderView[];
  /** Every order the laboratory still owes a result for. */
  open(): LabOrderView[];
  /** Whether a specimen id is already on some order (a new one must not be). */
  specimenInUse(specimenId: string): boolean;
}

const changeTypes = new Set(['lab_order_created', 'lab_specimen_collected', 'lab_order_cancelled']);

/**
 * The lab orders over the labOrders read model (projections/labOrders.ts),
 * enriched from the orderable-test catalogue with each test's LOINC code and
 * the order's performer. Listeners hear of an order after its event is
 * committed, whichever path appended it.
 */
export function createLabOrderBook(deps: {
  projections: ProjectionStore;
  liveFeed: LiveFeed;
  catalogue: LabTestCatalogue;
}): GatewayLabOrders {
  const { projections, catalogue } = deps;
  const byCode = new Map(catalogue.tests.map((test) => [test.code, test]));
  const ordersIn = (docKey: string) => projections.get<LabOrdersDoc>('labOrders', docKey)?.orders ?? [];
  const viewOf = (orderId: string) => {
    const docKey = projections.get<{ docKey: string }>('labOrderKeys', orderId)?.docKey;
    return docKey ? ordersIn(docKey).find((order) => order.orderId === orderId) : undefined;
  };
  const placed = (order: LabOrderView | undefined) => (order?.specimen ? toPlaced(order, byCode) : undefined);
  const listeners = new Set<(order: PlacedLabOrder) => void>();
  deps.liveFeed.subscribe((event: ClinicalEvent) => {
    if (!changeTypes.has(event.eventType) || listeners.size === 0) return;
    const order = placed(viewOf(String((event.data as { orderId?: unknown }).orderId)));
    if (order) for (const listener of listeners) listener(order);
  });
  return {
    catalogue,
    viewOf,
    ordersForSpecimen: (specimenId) =>
      ordersIn(`specimen:${specimenId}`)
        .filter((order) => order.status !== 'cancelled')
        .map((order) => toPlaced(order, byCode)),
    orderById: (orderId) => placed(viewOf(orderId)),
    ordersForPerformer: (performer) =>
      projections
        .all<LabOrdersDoc>('labOrders')
        .flatMap((doc) => doc.orders)
        .filter((order) => order.specimen)
        .map((order) => toPlaced(order, byCode))
        .filter((order) => order.performer === performer),
    onOrderChanged(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    ofPatient: (patientId) =>
      (projections.get<{ docKeys: string[] }>('patientLabOrders', patientId)?.docKeys ?? [])
        .flatMap(ordersIn)
        .filter((order) => order.patientId === patientId),
    open: () =>
      projections
        .all<LabOrdersDoc>('labOrders')
        .flatMap((doc) => doc.orders)
        .filter((order) => isOpen(order.status)),
    specimenInUse: (specimenId) => ordersIn(`specimen:${specimenId}`).length > 0,
  };
}

function toPlaced(
  order: LabOrderView,
  byCode: ReadonlyMap<string, { loinc?: string; performer?: string }>,
): PlacedLabOrder {
  const performer = order.tests.map((test) => byCode.get(test.testCode)?.performer).find(Boolean);
  return {
    orderId: order.orderId,
    specimenId: order.specimen?.specimenId ?? '',
    specimenType: order.specimen?.type ?? 'other',
    patientId: order.patientId,
    ...(order.encounterId ? { encounterId: order.encounterId } : {}),
    tests: order.tests.map((test) => {
      const loinc = byCode.get(test.testCode)?.loinc;
      return { testCode: test.testCode, testName: test.testName, ...(loinc ? { loinc } : {}) };
    }),
    priority: order.priority,
    orderedAt: order.orderedAt,
    ...(performer ? { performer } : {}),
    status: order.status,
  };
}
