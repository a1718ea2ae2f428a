import type { PlacedLabOrder, SqliteDatabase } from '../../gateway/pluginApi.ts';
import type { OrderControl } from './orderMessage.ts';
import type { NextStep } from './orderDelivery.ts';

/** An order message waiting for its laboratory system (migration 10, hl7_order_outbox). */
export interface QueuedOrderMessage {
  id: number;
  order: PlacedLabOrder;
  control: OrderControl;
  controlId: string;
  attempts: number;
  refusals: number;
}

/**
 * The MSH-10 of an order message: fixed by the order and its control, so a
 * row written again after a crash carries the one the laboratory system may
 * already have seen (it deduplicates by it).
 */
export const controlIdOf = (orderId: string, control: OrderControl) =>
  `${control}${orderId.replace(/-/g, '')}`.slice(0, 199);

type Row = {
  id: number;
  placed_order: string;
  order_control: string;
  control_id: string;
  attempts: number;
  refusals: number;
};

/**
 * The orders to send to laboratory systems over HL7
 * (docs/devices.md#orders-to-a-laboratory-system-hl7), durable in the
 * gateway's SQLite file: a row per order and ORC-1 control, taken oldest
 * first, marked delivered only once the ACK accepts it.
 */
export function openHl7OrderOutbox(db: SqliteDatabase) {
  const statements = {
    enqueue: db.prepare<[string, string, string, string, string, string, string]>(
      `INSERT OR IGNORE INTO hl7_order_outbox
         (listener, order_id, order_control, control_id, placed_order, queued_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    rowFor: db.prepare<[string, string, string], { delivered_at: string | null }>(
      'SELECT delivered_at FROM hl7_order_outbox WHERE listener = ? AND order_id = ? AND order_control = ?',
    ),
    withdraw: db.prepare<[string, string, string]>(
      `UPDATE hl7_order_outbox SET failed_at = ?, last_error = 'cancelled before it was sent'
       WHERE listener = ? AND order_id = ? AND order_control = 'NW' AND delivered_at IS NULL AND failed_at IS NULL`,
    ),
    nextDue: db.prepare<[string, string], Row>(
      `SELECT id, placed_order, order_control, control_id, attempts, refusals FROM hl7_order_outbox
       WHERE listener = ? AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
       ORDER BY id LIMIT 1`,
    ),
    delivered: db.prepare<[string, number]>(
      'UPDATE hl7_order_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?',
    ),
    retry: db.prepare<[number, string, string, number]>(
      `UPDATE hl7_order_outbox SET attempts = attempts + 1, refusals = refusals + ?,
         next_attempt_at = ?, last_error = ? WHERE id = ?`,
    ),
    failed: db.prepare<[string, string, number]>(
      `UPDATE hl7_order_outbox SET attempts = attempts + 1, refusals = refusals + 1,
         failed_at = ?, last_error = ? WHERE id = ?`,
    ),
    pending: db.prepare<[string], { count: number }>(
      'SELECT COUNT(*) AS count FROM hl7_order_outbox WHERE listener = ? AND delivered_at IS NULL AND failed_at IS NULL',
    ),
  };
  const insert = (listener: string, order: PlacedLabOrder, control: OrderControl, at: string) =>
    statements.enqueue.run(
      listener,
      order.orderId,
      control,
      controlIdOf(order.orderId, control),
      JSON.stringify(order),
      at,
      at,
    );
  return {
    /**
     * Queues what the order's state asks for: NW for an order ordered or
     * collected (one already in progress or resulted reached the laboratory
     * some other way, and is not sent now: a listener given orderTo later
     * does not resend the clinic's history);
     * for a cancelled one, CA if its NW went out, else the NW is withdrawn
     * (the laboratory system never heard of it). Idempotent.
     */
    enqueue(listener: string, order: PlacedLabOrder, now: Date): void {
      const at = now.toISOString();
      db.transaction(() => {
        if (order.status === 'ordered' || order.status === 'collected') {
          insert(listener, order, 'NW', at);
          return;
        }
        if (order.status !== 'cancelled') return;
        statements.withdraw.run(at, listener, order.orderId);
        const sent = statements.rowFor.get(listener, order.orderId, 'NW');
        if (sent?.delivered_at) insert(listener, order, 'CA', at);
      })();
    },
    /** The oldest message due for the listener's laboratory system, if any. */
    nextDue(listener: string, now: Date): QueuedOrderMessage | undefined {
      const row = statements.nextDue.get(listener, now.toISOString());
      if (!row) return undefined;
      return {
        id: row.id,
        order: JSON.parse(row.placed_order) as PlacedLabOrder,
        control: row.order_control as OrderControl,
        controlId: row.control_id,
        attempts: row.attempts,
        refusals: row.refusals,
      };
    },
    /** Records a try's outcome as `nextStep` decided it. */
    record(id: number, step: NextStep, refused: boolean, now: Date): void {
      if (step.kind === 'delivered') statements.delivered.run(now.toISOString(), id);
      else if (step.kind === 'failed')
        statements.failed.run(now.toISOString(), step.reason.slice(0, 500), id);
      else statements.retry.run(refused ? 1 : 0, step.at.toISOString(), step.reason.slice(0, 500), id);
    },
    pendingCount: (listener: string): number => statements.pending.get(listener)?.count ?? 0,
  };
}

export type Hl7OrderOutbox = ReturnType<typeof openHl7OrderOutbox>;
