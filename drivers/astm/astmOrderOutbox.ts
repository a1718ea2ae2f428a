import type { PlacedLabOrder, SqliteDatabase } from '../../gateway/pluginApi.ts';

/** An order waiting for its analyzer (migration 9, astm_order_outbox). */
export interface QueuedOrder {
  id: number;
  order: PlacedLabOrder;
  attempts: number;
}

/** After a transmission the analyzer did not accept, the next try waits this long, in milliseconds. */
export const orderRetryDelayMs = 60_000;

/**
 * The orders to download to ASTM analyzers (docs/devices.md#order-download),
 * durable in the gateway's SQLite file: queued when an order for the
 * analyzer is placed or cancelled, taken oldest first, and marked delivered
 * only once the analyzer has ACKed the whole transmission, so a restart in
 * between sends it again (an analyzer receiving an order twice sees the
 * same specimen id and tests: E1394 action code N on a known specimen).
 */
export function openAstmOrderOutbox(db: SqliteDatabase) {
  const statements = {
    enqueue: db.prepare<[string, string, string, string, string, string]>(
      `INSERT OR IGNORE INTO astm_order_outbox
         (device_id, order_id, order_status, placed_order, queued_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    nextDue: db.prepare<[string, string], { id: number; placed_order: string; attempts: number }>(
      `SELECT id, placed_order, attempts FROM astm_order_outbox
       WHERE device_id = ? AND delivered_at IS NULL AND next_attempt_at <= ?
       ORDER BY id LIMIT 1`,
    ),
    delivered: db.prepare<[string, number]>('UPDATE astm_order_outbox SET delivered_at = ? WHERE id = ?'),
    failed: db.prepare<[string, string, number]>(
      'UPDATE astm_order_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
    ),
    pending: db.prepare<[string], { count: number }>(
      'SELECT COUNT(*) AS count FROM astm_order_outbox WHERE device_id = ? AND delivered_at IS NULL',
    ),
  };
  return {
    /** Queues the order for the analyzer; the same order in the same status is queued once. */
    enqueue(deviceId: string, order: PlacedLabOrder, now: Date): void {
      const at = now.toISOString();
      statements.enqueue.run(deviceId, order.orderId, order.status, JSON.stringify(order), at, at);
    },
    /** The oldest order due for the analyzer, if any. */
    nextDue(deviceId: string, now: Date): QueuedOrder | undefined {
      const row = statements.nextDue.get(deviceId, now.toISOString());
      if (!row) return undefined;
      return { id: row.id, order: JSON.parse(row.placed_order) as PlacedLabOrder, attempts: row.attempts };
    },
    markDelivered(id: number, now: Date): void {
      statements.delivered.run(now.toISOString(), id);
    },
    /** The analyzer did not accept it: tried again after `orderRetryDelayMs`. */
    markFailed(id: number, reason: string, now: Date): void {
      statements.failed.run(
        new Date(now.getTime() + orderRetryDelayMs).toISOString(),
        reason.slice(0, 500),
        id,
      );
    },
    pendingCount: (deviceId: string): number => statements.pending.get(deviceId)?.count ?? 0,
  };
}

export type AstmOrderOutbox = ReturnType<typeof openAstmOrderOutbox>;
