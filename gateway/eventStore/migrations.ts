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
];
