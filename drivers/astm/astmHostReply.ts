import type { LabOrderBook, PlacedLabOrder } from '../../gateway/pluginApi.ts';
import type { HostQuery } from './astmHostQuery.ts';
import {
  type HostRecordsContext,
  headerRecord,
  ordersMessage,
  terminatorRecord,
} from './astmOrderRecords.ts';

/** What the gateway answers to the Q records of one message. */
export type HostReply =
  | { kind: 'none' }
  | { kind: 'reply'; records: string[]; orders: number; specimens: number }
  /** A Q record the gateway cannot read: answered L|1|Q, and quarantined by the session. */
  | { kind: 'refused'; records: string[]; reason: string };

/**
 * The reply to an analyzer's host queries (pure, given the book): the
 * open orders of the specimens it asked about, this analyzer's or nobody's
 * in particular, as H, P, O ..., L; "no information" (L|1|I, E1394 L.3)
 * when there are none. The book answers by specimen id only, so "ALL" and
 * ranges are answered "no information" (docs/devices.md#host-queries-and-orders-to-the-analyzer).
 * A cancel (Q.13 "A") wants no reply.
 */
export function hostReplyOf(
  queries: readonly HostQuery[],
  book: Pick<LabOrderBook, 'ordersForSpecimen'>,
  deviceId: string,
  context: HostRecordsContext,
): HostReply {
  if (queries.length === 0 || queries.every((query) => query.kind === 'cancel')) return { kind: 'none' };
  const unreadable = queries.find((query) => query.kind === 'unreadable');
  if (unreadable)
    return {
      kind: 'refused',
      records: [headerRecord(context), terminatorRecord('Q')],
      reason: unreadable.reason,
    };
  const specimenIds = [
    ...new Set(queries.flatMap((query) => (query.kind === 'specimens' ? query.specimenIds : []))),
  ];
  const orders = specimenIds.flatMap((specimenId) =>
    book.ordersForSpecimen(specimenId).filter((order) => isForAnalyzer(order, deviceId)),
  );
  return {
    kind: 'reply',
    records: ordersMessage(orders, 'query', context),
    orders: orders.length,
    specimens: specimenIds.length,
  };
}

/** An open order that this analyzer runs, or that names no analyzer. */
export const isForAnalyzer = (order: PlacedLabOrder, deviceId: string): boolean =>
  order.status !== 'cancelled' && (order.performer === undefined || order.performer === deviceId);
