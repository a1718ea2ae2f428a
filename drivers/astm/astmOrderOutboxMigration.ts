import type { Migration } from '../../gateway/pluginApi.ts';

/** Migration 9 of the gateway database: orders waiting to be downloaded to ASTM analyzers (listed in gateway/eventStore/migrations.ts). */
export const astmOrderOutboxMigration: Migration = {
  version: 9,
  name: 'ASTM order download outbox',
  sql: `
      -- One row per (analyzer, order, order status): an order placed for an analyzer
      -- configured with orderDownload is sent to it until it accepts the transmission,
      -- across restarts (drivers/astm/astmOrderOutbox.ts); a cancellation is a row of
      -- its own. The order as the labOrders book gave it, JSON: the MRN and tests the
      -- analyzer is sent are read from it when it is sent.
      CREATE TABLE astm_order_outbox (
        id              INTEGER PRIMARY KEY,
        device_id       TEXT NOT NULL,
        order_id        TEXT NOT NULL,
        order_status    TEXT NOT NULL,
        placed_order    TEXT NOT NULL,
        queued_at       TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        delivered_at    TEXT,
        last_error      TEXT,
        UNIQUE (device_id, order_id, order_status)
      );
      CREATE INDEX astm_order_outbox_due ON astm_order_outbox (device_id, delivered_at, next_attempt_at);
    `,
};
