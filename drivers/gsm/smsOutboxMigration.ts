import type { Migration } from '../../gateway/pluginApi.ts';

/** Migration 6 of the gateway database: the GSM modem's SMS outbox (listed in gateway/eventStore/migrations.ts). */
export const smsOutboxMigration: Migration = {
  version: 6,
  name: 'SMS outbox for alert escalations (GSM modem)',
  sql: `
      -- One row per (alert, escalation level, on-call recipient): a restart neither
      -- loses nor repeats an escalation SMS (drivers/gsm/smsOutbox.ts). No phone
      -- number here: the recipient id is resolved from the configuration at send time.
      CREATE TABLE sms_outbox (
        id              INTEGER PRIMARY KEY,
        alert_id        TEXT NOT NULL,
        level           INTEGER NOT NULL,
        recipient_id    TEXT NOT NULL,
        notification_id TEXT NOT NULL UNIQUE,
        patient_id      TEXT,
        escalation_event_id TEXT NOT NULL,
        body            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        sent_at         TEXT,
        message_refs    TEXT,              -- JSON array: TP-MR of each part, from +CMGS
        delivered_refs  TEXT,              -- JSON array: parts the network reported delivered (+CDS)
        delivered_at    TEXT,
        last_error      TEXT,
        UNIQUE (alert_id, level, recipient_id)
      );
      CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
      -- The last alert_escalated considered; starts at the head so that turning SMS
      -- on does not text the escalations of the past.
      CREATE TABLE sms_outbox_cursor (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        after_seq INTEGER NOT NULL
      );
      INSERT INTO sms_outbox_cursor (id, after_seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM events));
    `,
};
