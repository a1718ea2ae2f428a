import { astmOrderOutboxMigration } from '../../drivers/astm/astmOrderOutboxMigration.ts';
import { hl7OrderOutboxMigration } from '../../drivers/hl7/hl7OrderOutboxMigration.ts';
import { smsOutboxMigration } from '../../drivers/gsm/smsOutboxMigration.ts';
import { syncTablesMigration } from '../../sync/syncTablesMigration.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/**
 * Numbered migrations of the gateway database, in order. `PRAGMA user_version`
 * holds the number of the last one applied; each runs in its own transaction.
 * Never edit a migration that has shipped: add the next number. The plug-ins
 * keep theirs beside their code (sync: 4, drivers: 6); the numbering is one
 * sequence because the database has one version.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, quarantine, devices, projections',
    sql: `
      -- The event log (docs/architecture.md#guarantee-2). seq is the rowid: gapless, in order.
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
  syncTablesMigration,
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
  smsOutboxMigration,
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
  {
    version: 8,
    name: 'sign-in attempts',
    sql: `
      -- The sign-in limit's counters (docs/security-access.md#sign-in-limits), kept here so
      -- a restart of the gateway does not forget them. One row per key an attempt counts
      -- against ('pair:<username>@<address>', 'address:<address>', 'user:<username>'):
      -- written before the password is hashed, so a try in flight already counts as a
      -- failure; a sign-in that succeeds deletes its own rows. Rows older than the
      -- window are deleted as new tries arrive.
      CREATE TABLE sign_in_attempts (
        attempt_id TEXT NOT NULL,
        key        TEXT NOT NULL,
        at_ms      INTEGER NOT NULL,
        PRIMARY KEY (key, at_ms, attempt_id)
      ) WITHOUT ROWID;
      CREATE INDEX sign_in_attempts_attempt ON sign_in_attempts (attempt_id);
      CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at_ms);
    `,
  },
  astmOrderOutboxMigration,
  hl7OrderOutboxMigration,
];
