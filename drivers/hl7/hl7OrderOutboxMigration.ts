import type { Migration } from '../../gateway/pluginApi.ts';

/** Migration 10 of the gateway database: orders waiting to be sent to a laboratory system over HL7 (listed in gateway/eventStore/migrations.ts). */
export const hl7OrderOutboxMigration: Migration = {
  version: 10,
  name: 'HL7 order outbox',
  sql: `
      -- One row per (HL7 listener, order, ORC-1 order control NW or CA): an order whose
      -- performer is a listener configured with orderTo is sent to its laboratory system
      -- until the ACK accepts it, across restarts (drivers/hl7/hl7OrderOutbox.ts). The
      -- control id (MSH-10) is fixed when the row is written, so every try of it carries
      -- the same one and the laboratory system can deduplicate. attempts counts every
      -- try, refusals the tries answered AE/AR/CE/CR; failed_at is set when refusals
      -- reach the listener's limit. The order as the labOrders book gave it, JSON.
      CREATE TABLE hl7_order_outbox (
        id              INTEGER PRIMARY KEY,
        listener        TEXT NOT NULL,
        order_id        TEXT NOT NULL,
        order_control   TEXT NOT NULL,
        control_id      TEXT NOT NULL,
        placed_order    TEXT NOT NULL,
        queued_at       TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        refusals        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        delivered_at    TEXT,
        failed_at       TEXT,
        last_error      TEXT,
        UNIQUE (listener, order_id, order_control)
      );
      CREATE INDEX hl7_order_outbox_due ON hl7_order_outbox (listener, delivered_at, failed_at, next_attempt_at);
    `,
};
