import type { Migration } from '../gateway/pluginApi.ts';

/*
 * Migration 4 of the gateway database: the sync engine's tables (lanes,
 * cursors, dead letters, state, the hub-acknowledged watermark, retention and
 * the chain anchor) and the triggers that keep retention honest
 * (docs/architecture.md#guarantee-3). Listed in gateway/eventStore/migrations.ts.
 */

const lanes = "('alert', 'clinical', 'telemetry', 'audit')";

/**
 * When the oldest event may be deleted (docs/architecture.md#guarantee-3): it is the
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

/**
 * The lane rows are written out as this migration shipped them; event types
 * added to the catalogue since get theirs from sync/laneTable.ts, which runs
 * at every gateway start (and is what keeps a shipped migration unedited).
 */
const laneRowsAsShipped = `('patient_registered', 'clinical'),
        ('patient_updated', 'clinical'),
        ('patient_admitted', 'clinical'),
        ('patient_transferred', 'clinical'),
        ('patient_discharged', 'clinical'),
        ('encounter_created', 'clinical'),
        ('encounter_updated', 'clinical'),
        ('encounter_closed', 'clinical'),
        ('diagnosis_added', 'clinical'),
        ('diagnosis_updated', 'clinical'),
        ('diagnosis_resolved', 'clinical'),
        ('medication_prescribed', 'clinical'),
        ('medication_administered', 'clinical'),
        ('medication_discontinued', 'clinical'),
        ('medication_interaction_detected', 'alert'),
        ('medication_due', 'clinical'),
        ('lab_order_created', 'clinical'),
        ('lab_result_available', 'clinical'),
        ('vital_signs_recorded', 'telemetry'),
        ('device_alert_triggered', 'alert'),
        ('device_connected', 'telemetry'),
        ('device_disconnected', 'telemetry'),
        ('critical_value_detected', 'alert'),
        ('alert_acknowledged', 'alert'),
        ('alert_escalated', 'alert'),
        ('alert_resolved', 'alert'),
        ('sudan_national_id_accessed', 'audit'),
        ('sudan_moh_report_generated', 'audit'),
        ('notification_sent', 'alert'),
        ('sms_delivered', 'alert'),
        ('email_sent', 'alert'),
        ('fhir_resource_created', 'clinical'),
        ('fhir_resource_updated', 'clinical'),
        ('audit_log_created', 'audit'),
        ('compliance_violation_detected', 'audit'),
        ('drug_interaction_detected', 'alert'),
        ('allergy_alert_generated', 'alert'),
        ('dose_validation_failed', 'alert'),
        ('appointment_scheduled', 'clinical'),
        ('admission_saga_started', 'clinical'),
        ('bed_reserved', 'clinical'),
        ('bed_released', 'clinical'),
        ('care_team_notified', 'clinical'),
        ('admission_saga_completed', 'clinical'),
        ('admission_saga_failed', 'clinical'),
        ('admission_saga_step_failed', 'clinical'),
        ('notification_failed', 'alert')`;

function syncTablesSql(): string {
  return `
      -- The sync lane of each event type (docs/architecture.md#guarantee-5), copied from the
      -- catalogue; sync/laneTable.ts refreshes it at every gateway start.
      CREATE TABLE sync_lane_of_type (
        event_type TEXT PRIMARY KEY,
        lane       TEXT NOT NULL CHECK (lane IN ${lanes})
      ) WITHOUT ROWID;
      INSERT INTO sync_lane_of_type (event_type, lane) VALUES
        ${laneRowsAsShipped};

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

export const syncTablesMigration: Migration = {
  version: 4,
  name: 'sync lanes, cursors, dead letters, hub-acknowledged watermark, retention',
  sql: syncTablesSql(),
};
