import { eventCatalogue } from '../../kernel/events/catalogue.ts';

/**
 * Numbered migrations of the gateway database. `PRAGMA user_version` holds the
 * number of the last one applied; each runs in its own transaction. Never edit
 * a migration that has shipped: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const lanes = "('alert', 'clinical', 'telemetry', 'audit')";

/**
 * When the oldest event may be deleted (DESIGN.md guarantee 3): it is the
 * next after the chain anchor (pruning takes a prefix, so the chain still
 * verifies from the anchor), the hub has acknowledged it (at or below the
 * watermark, which stops below any dead letter), it is not the newest event
 * (the gapless-seq trigger and EventLog read the head from the table), and it
 * was recorded longer ago than the retention age (NULL: retention off).
 * Used by the BEFORE trigger that refuses and the AFTER trigger that moves
 * the anchor, so a delete made with the refusal dropped never moves it.
 */
const prunable = `(
  OLD.seq = (SELECT seq FROM chain_anchor WHERE id = 1) + 1
  AND OLD.seq <= (SELECT acked_through_seq FROM sync_retention WHERE id = 1)
  AND OLD.seq < (SELECT MAX(seq) FROM events)
  AND NOT EXISTS (SELECT 1 FROM sync_dead_letters WHERE seq = OLD.seq)
  AND julianday(json_extract(OLD.body, '$.recordedAt'))
      <= julianday('now') - (SELECT min_age_seconds FROM sync_retention WHERE id = 1) / 86400.0
)`;

/** Lowest pending seq of one lane, or a sentinel above every seq. */
const firstPending = (lane: string) =>
  `COALESCE((SELECT MIN(l.seq) FROM sync_lane_events l WHERE l.lane = '${lane}'
     AND l.seq > (SELECT delivered_through_seq FROM sync_cursors WHERE lane = '${lane}')), 9223372036854775807)`;

function syncMigrationSql(): string {
  const laneRows = [...eventCatalogue.values()]
    .map((spec) => `('${spec.eventType}', '${spec.lane}')`)
    .join(',\n        ');
  return `
      -- The sync lane of each event type (DESIGN.md guarantee 5), copied from the
      -- catalogue; sync/laneTable.ts refreshes it at every gateway start.
      CREATE TABLE sync_lane_of_type (
        event_type TEXT PRIMARY KEY,
        lane       TEXT NOT NULL CHECK (lane IN ${lanes})
      ) WITHOUT ROWID;
      INSERT INTO sync_lane_of_type (event_type, lane) VALUES
        ${laneRows};

      -- Each event's lane, written by the append's own transaction (trigger), so
      -- the next batch of a lane is an index range, never a scan of the log.
      CREATE TABLE sync_lane_events (
        lane TEXT NOT NULL,
        seq  INTEGER NOT NULL,
        PRIMARY KEY (lane, seq)
      ) WITHOUT ROWID;
      INSERT INTO sync_lane_events (lane, seq)
        SELECT COALESCE(t.lane, 'clinical'), e.seq FROM events e
        LEFT JOIN sync_lane_of_type t ON t.event_type = e.event_type;
      CREATE TRIGGER events_sync_lane AFTER INSERT ON events
      BEGIN
        INSERT INTO sync_lane_events (lane, seq) VALUES (
          COALESCE((SELECT lane FROM sync_lane_of_type WHERE event_type = NEW.event_type), 'clinical'),
          NEW.seq);
      END;

      -- One cursor per lane: the last seq of that lane Kafka acknowledged (or
      -- dead-lettered). Advanced only after the acknowledgement (guarantee 4).
      CREATE TABLE sync_cursors (
        lane                  TEXT PRIMARY KEY CHECK (lane IN ${lanes}),
        delivered_through_seq INTEGER NOT NULL DEFAULT 0,
        delivered_at          TEXT
      ) WITHOUT ROWID;
      INSERT INTO sync_cursors (lane) VALUES ('alert'), ('clinical'), ('telemetry'), ('audit');

      -- Events Kafka refused for good (too large ...): kept here with the reason,
      -- so the lane moves on; never pruned from the log.
      CREATE TABLE sync_dead_letters (
        seq          INTEGER PRIMARY KEY,
        event_id     TEXT NOT NULL,
        event_type   TEXT NOT NULL,
        lane         TEXT NOT NULL,
        topic        TEXT NOT NULL,
        record_bytes INTEGER NOT NULL,
        reason_code  TEXT NOT NULL,        -- Kafka's error type, e.g. MESSAGE_TOO_LARGE
        reason       TEXT NOT NULL,
        failed_at    TEXT NOT NULL,
        hub_notified INTEGER NOT NULL DEFAULT 0  -- a notice went to the dead-letter topic
      );

      -- What the engine last said about itself, for the API, metrics and
      -- \`nilecare sync status\` in another process.
      CREATE TABLE sync_state (
        id                   INTEGER PRIMARY KEY CHECK (id = 1),
        engine               TEXT NOT NULL DEFAULT 'never started',  -- running | stopped
        brokers              TEXT,
        connected            INTEGER NOT NULL DEFAULT 0,
        connected_changed_at TEXT,
        last_success_at      TEXT,
        last_error_code      TEXT,
        last_error           TEXT,
        last_error_at        TEXT,
        events_per_second    REAL NOT NULL DEFAULT 0,
        bytes_per_second     REAL NOT NULL DEFAULT 0,
        heartbeat_at         TEXT
      );
      INSERT INTO sync_state (id) VALUES (1);

      -- The hub-acknowledged watermark: every event at or below it was
      -- acknowledged by Kafka (derived from the cursors, stopping below the
      -- first dead letter). min_age_seconds NULL: retention off, nothing pruned.
      CREATE TABLE sync_retention (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        acked_through_seq INTEGER NOT NULL DEFAULT 0,
        min_age_seconds   INTEGER CHECK (min_age_seconds IS NULL OR min_age_seconds >= 0)
      );
      INSERT INTO sync_retention (id) VALUES (1);
      CREATE VIEW sync_ack_watermark AS SELECT MIN(
          COALESCE((SELECT MIN(seq) FROM sync_dead_letters), 9223372036854775807),
          ${firstPending('alert')},
          ${firstPending('clinical')},
          ${firstPending('telemetry')},
          ${firstPending('audit')},
          COALESCE((SELECT MAX(seq) FROM events), (SELECT seq FROM chain_anchor WHERE id = 1)) + 1
        ) - 1 AS through_seq;
      CREATE TRIGGER sync_retention_watermark_guard BEFORE UPDATE OF acked_through_seq ON sync_retention
      WHEN NEW.acked_through_seq > (SELECT through_seq FROM sync_ack_watermark)
      BEGIN SELECT RAISE(ABORT, 'SYNC_ERR_WATERMARK_AHEAD: the watermark may not pass an event Kafka has not acknowledged'); END;
      CREATE TRIGGER sync_retention_refuse_delete BEFORE DELETE ON sync_retention
      BEGIN SELECT RAISE(ABORT, 'SYNC_ERR_WATERMARK_AHEAD: the retention row is kept'); END;

      -- The last pruned event: the chain verifies from its hash (verifyChain.ts).
      CREATE TABLE chain_anchor (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL DEFAULT 0,   -- 0: nothing pruned
        hash BLOB                          -- NULL: the genesis hash
      );
      INSERT INTO chain_anchor (id) VALUES (1);
      CREATE TRIGGER chain_anchor_guard BEFORE UPDATE ON chain_anchor
      WHEN NEW.seq IS NOT OLD.seq + 1 OR EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: the chain anchor moves only as the oldest event is pruned'); END;
      CREATE TRIGGER chain_anchor_refuse_delete BEFORE DELETE ON chain_anchor
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: DELETE of the chain anchor'); END;

      -- Append-only, except retention pruning of the oldest acknowledged events.
      DROP TRIGGER events_refuse_delete;
      CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
      WHEN ${prunable} IS NOT 1
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: DELETE of an event that is not the oldest, not acknowledged by the hub, the newest, dead-lettered or younger than the retention age'); END;
      CREATE TRIGGER events_pruned AFTER DELETE ON events
      WHEN ${prunable} IS 1
      BEGIN
        UPDATE chain_anchor SET seq = OLD.seq, hash = OLD.hash WHERE id = 1;
        DELETE FROM sync_lane_events WHERE lane IN ${lanes} AND seq = OLD.seq;
      END;
  `;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, quarantine, devices, projections',
    sql: `
      -- The event log (DESIGN.md guarantee 2). seq is the rowid: gapless, in order.
      CREATE TABLE events (
        seq        INTEGER PRIMARY KEY,
        event_id   BLOB NOT NULL,          -- UUIDv7, 16 bytes
        event_type TEXT NOT NULL,
        body       TEXT NOT NULL,          -- canonical JSON of the event without its hash
        hash       BLOB NOT NULL,          -- SHA-256(previous hash, body), 32 bytes
        device_key TEXT                    -- "<deviceId>#<deviceSeq>" of a device reading, for de-duplication
      );
      CREATE UNIQUE INDEX events_event_id ON events (event_id);
      CREATE UNIQUE INDEX events_device_key ON events (device_key) WHERE device_key IS NOT NULL;

      -- Append-only, enforced by the database and not only by code.
      CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: UPDATE of an event'); END;
      CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: DELETE of an event'); END;
      CREATE TRIGGER events_gapless_seq BEFORE INSERT ON events
      WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM events)
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: seq must follow the last event without a gap'); END;

      -- Input refused before it became an event (guarantee 7). raw is encrypted: it may hold PHI.
      CREATE TABLE quarantine (
        id          INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        channel     TEXT NOT NULL,         -- mqtt | http | serial | hl7 | internal
        origin      TEXT NOT NULL,         -- device id, topic or route
        reason_code TEXT NOT NULL,         -- a GW_ERR_ code
        reason      TEXT NOT NULL,
        issues      TEXT,                  -- JSON array of {field, rule, message}
        raw_size    INTEGER NOT NULL,
        raw_sealed  TEXT                   -- the raw input, sealed with the PHI key
      );

      -- Registered devices and their credentials (configuration, not clinical facts).
      CREATE TABLE devices (
        device_id   TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        secret_hash TEXT NOT NULL,         -- scrypt, never the password
        patient_id  TEXT,
        bed         TEXT,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      );

      -- Read models (CQRS): one JSON document per entity, rebuilt by replaying the log.
      CREATE TABLE projection_docs (
        projection TEXT NOT NULL,
        doc_id     TEXT NOT NULL,
        doc        TEXT NOT NULL,
        PRIMARY KEY (projection, doc_id)
      ) WITHOUT ROWID;
      CREATE TABLE projection_checkpoints (
        projection TEXT PRIMARY KEY,
        version    INTEGER NOT NULL,
        last_seq   INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'refuse INSERT OR REPLACE of events',
    sql: `
      -- INSERT OR REPLACE settles a unique conflict (event_id, device_key) by
      -- deleting the stored event, and SQLite fires delete triggers for that only
      -- when recursive_triggers is on: refuse the conflicting insert itself.
      CREATE TRIGGER events_refuse_replace BEFORE INSERT ON events
      WHEN EXISTS (SELECT 1 FROM events WHERE event_id = NEW.event_id)
        OR (NEW.device_key IS NOT NULL AND EXISTS (SELECT 1 FROM events WHERE device_key = NEW.device_key))
      BEGIN SELECT RAISE(ABORT, 'GW_ERR_LOG_APPEND_ONLY: INSERT of an event_id or device_key already stored'); END;
    `,
  },
  {
    version: 3,
    name: "index open alerts and each patient's alerts",
    sql: `
      -- The escalation timer (every second), /metrics and the nurse's alert list
      -- read the open alerts; the patient chart reads one patient's alerts.
      -- Partial indexes over the alerts read model only, so readings pay nothing.
      CREATE INDEX projection_docs_alert_status ON projection_docs (json_extract(doc, '$.status'))
      WHERE projection = 'alerts';
      CREATE INDEX projection_docs_alert_patient ON projection_docs (json_extract(doc, '$.patientId'))
      WHERE projection = 'alerts';
    `,
  },
  {
    version: 4,
    name: 'sync lanes, cursors, dead letters, hub-acknowledged watermark, retention',
    sql: syncMigrationSql(),
  },
  {
    version: 5,
    name: 'users and sessions',
    sql: `
      -- Staff who sign in to the API (configuration, not clinical facts: the
      -- catalogue has no user events; docs/security-access.md). Never deleted,
      -- only disabled, so every userId in the log keeps its name.
      CREATE TABLE users (
        user_id       TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,  -- lower case
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('nurse', 'physician', 'technician', 'admin')),
        password_hash TEXT NOT NULL,         -- scrypt, never the password
        created_at    TEXT NOT NULL,
        created_by    TEXT,                  -- user_id of the admin, NULL from the CLI
        disabled_at   TEXT
      );

      -- Signed-in sessions: only the SHA-256 of the cookie's token is stored, so
      -- a copy of the database does not sign anyone in.
      CREATE TABLE sessions (
        token_hash    BLOB PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users (user_id),
        created_at_ms INTEGER NOT NULL,
        last_seen_ms  INTEGER NOT NULL,      -- slides with each request (idle timeout)
        ends_at_ms    INTEGER NOT NULL       -- absolute end, whatever the use
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions (user_id);
    `,
  },
  {
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
  },
  {
    version: 7,
    name: 'device client certificates',
    sql: `
      -- A device paired with a client certificate from the gateway's CA
      -- ('nilecare devices add --cert'): the certificate's SHA-256 fingerprint
      -- (as Node prints it, "AB:CD:...") and serial. Only these; the device's
      -- private key never stays on the gateway. Such a device has no password:
      -- its secret_hash holds a marker no password verifies against.
      ALTER TABLE devices ADD COLUMN cert_fingerprint TEXT;
      ALTER TABLE devices ADD COLUMN cert_serial TEXT;
      CREATE UNIQUE INDEX devices_cert_fingerprint ON devices (cert_fingerprint)
      WHERE cert_fingerprint IS NOT NULL;
    `,
  },
];
