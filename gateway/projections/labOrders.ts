import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import {
  type LabOrderStatus,
  type LinkedResult,
  orderStatus,
  withResult,
} from '../labOrders/orderLifecycle.ts';
import { dataOf, type Projection } from './projection.ts';

export interface LabOrderView {
  orderId: string;
  patientId: string;
  encounterId?: string;
  tests: { testCode: string; testName: string }[];
  priority: 'routine' | 'urgent' | 'stat';
  clinicalNotes?: string;
  orderedAt: string;
  orderedBy?: { userId: string; userName?: string; userRole?: string };
  /** Absent for an order placed elsewhere without a specimen yet. */
  specimen?: { specimenId: string; type: string; collectedAt?: string };
  status: LabOrderStatus;
  cancelledAt?: string;
  cancelReason?: string;
  /** The results that answer this order, each at its latest status. */
  results: LinkedResult[];
}

/** The orders on one specimen (usually one), keyed by labOrderDocKey. */
export interface LabOrdersDoc {
  orders: LabOrderView[];
}

/** Orders are kept by specimen, since an analyzer reports by specimen; an order without one by its id. */
export function labOrderDocKey(specimenId: string | undefined, orderId: string): string {
  return specimenId ? `specimen:${specimenId}` : `order:${orderId}`;
}

type Created = Omit<LabOrderView, 'patientId' | 'status' | 'results' | 'orderedBy'>;
type ResultData = {
  resultId: string;
  orderId?: string;
  specimen: { specimenId: string };
  testCode: string;
  resultStatus: LinkedResult['resultStatus'];
  qc?: unknown;
};

/**
 * Lab orders with their lifecycle (docs/lab-orders.md#lifecycle): placed by
 * lab_order_created, collected, cancelled, and answered by lab_result_available
 * that names the order or reports on its specimen (for the same patient).
 */
export const labOrdersProjection: Projection<LabOrdersDoc> = {
  name: 'labOrders',
  version: 1,
  docIdsOf(event) {
    const data = event.data as Record<string, unknown>;
    switch (event.eventType) {
      case 'lab_order_created':
        return [
          labOrderDocKey(
            (data.specimen as { specimenId?: string } | undefined)?.specimenId,
            String(data.orderId),
          ),
        ];
      case 'lab_specimen_collected':
      case 'lab_order_cancelled':
        return [labOrderDocKey(data.specimenId as string | undefined, String(data.orderId))];
      case 'lab_result_available': {
        if (data.qc !== undefined) return [];
        const { specimen, orderId } = dataOf<ResultData>(event);
        return orderId
          ? [`specimen:${specimen.specimenId}`, `order:${orderId}`]
          : [`specimen:${specimen.specimenId}`];
      }
      default:
        return [];
    }
  },
  evolve(doc, event) {
    const orders = doc?.orders ?? [];
    switch (event.eventType) {
      case 'lab_order_created': {
        const data = dataOf<Created>(event);
        if (!event.patientId || orders.some((order) => order.orderId === data.orderId)) return doc;
        const order: LabOrderView = {
          ...data,
          patientId: event.patientId,
          ...actorOf(event),
          status: 'ordered',
          results: [],
        };
        return { orders: [...orders, { ...order, status: statusOf(order) }] };
      }
      case 'lab_specimen_collected': {
        const { orderId, collectedAt } = dataOf<{ orderId: string; collectedAt: string }>(event);
        return (
          doc &&
          changed(
            doc,
            (order) => order.orderId === orderId,
            (order) => (order.specimen ? { ...order, specimen: { ...order.specimen, collectedAt } } : order),
          )
        );
      }
      case 'lab_order_cancelled': {
        const { orderId, cancelledAt, reason } = dataOf<{
          orderId: string;
          cancelledAt: string;
          reason: string;
        }>(event);
        return (
          doc &&
          changed(
            doc,
            (order) => order.orderId === orderId,
            (order) => ({
              ...order,
              cancelledAt,
              cancelReason: reason,
            }),
          )
        );
      }
      case 'lab_result_available': {
        const data = dataOf<ResultData>(event);
        const link: LinkedResult = {
          resultId: data.resultId,
          testCode: data.testCode,
          resultStatus: data.resultStatus,
        };
        return (
          doc &&
          changed(
            doc,
            (order) => answers(order, data, event),
            (order) => ({
              ...order,
              results: withResult(order.results, link),
            }),
          )
        );
      }
      default:
        return doc;
    }
  },
};

/** Whether a result answers the order: it names it, or it names no order and reports on its specimen, for the same patient. */
function answers(order: LabOrderView, data: ResultData, event: ClinicalEvent): boolean {
  if (order.cancelledAt) return false;
  if (event.patientId && event.patientId !== order.patientId) return false;
  if (data.orderId) return data.orderId === order.orderId;
  return order.specimen?.specimenId === data.specimen.specimenId;
}

function changed(
  doc: LabOrdersDoc,
  which: (order: LabOrderView) => boolean,
  change: (order: LabOrderView) => LabOrderView,
): LabOrdersDoc {
  if (!doc.orders.some(which)) return doc;
  return {
    orders: doc.orders.map((order) => {
      if (!which(order)) return order;
      const next = change(order);
      return { ...next, status: statusOf(next) };
    }),
  };
}

function statusOf(order: LabOrderView): LabOrderStatus {
  return orderStatus({
    tests: order.tests,
    results: order.results,
    ...(order.specimen?.collectedAt ? { collectedAt: order.specimen.collectedAt } : {}),
    ...(order.cancelledAt ? { cancelledAt: order.cancelledAt } : {}),
  });
}

function actorOf(event: ClinicalEvent): Pick<LabOrderView, 'orderedBy'> {
  if (!event.userId) return {};
  return {
    orderedBy: {
      userId: event.userId,
      ...(event.userName ? { userName: event.userName } : {}),
      ...(event.userRole ? { userRole: event.userRole } : {}),
    },
  };
}
