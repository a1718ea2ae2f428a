import { HubError } from '../errors.ts';
import { type HubPool, withTransaction } from './hubDatabase.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The hub's PostgreSQL schema, as numbered migrations applied in order, each
 * in its own transaction. Never edit one that has shipped: add the next.
 */
export const hubMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'service framework: outbox and processed events',
    sql: `
      -- What a service sends to Kafka (dead letters, its own events), written in
      -- the same transaction as its decision, sent after commit and then deleted
      -- (transactional outbox: a crash between the two sends it again, never loses it).
      CREATE TABLE hub_outbox (
        id          bigserial PRIMARY KEY,
        service     text NOT NULL,
        topic       text NOT NULL,
        key         text,
        value       bytea,
        headers     jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      -- Idempotency by eventId for services that use the framework's (guarantee 4).
      CREATE TABLE hub_processed_events (
        service       text NOT NULL,
        event_id      uuid NOT NULL,
        processed_at  timestamptz NOT NULL,
        PRIMARY KEY (service, event_id)
      );
    `,
  },
  {
    version: 2,
    name: 'ingest guard: gateway chains, events, gaps, rejections',
    sql: `
      -- One row per gateway: how far its chain is settled, and its clock.
      CREATE TABLE gateway_chains (
        gateway_id            text PRIMARY KEY,
        head_seq              bigint NOT NULL DEFAULT 0,
        head_hash             text NOT NULL,
        first_received_at     timestamptz NOT NULL,
        last_received_at      timestamptz NOT NULL,
        clock_offset_ms       bigint,
        clock_offset_min_ms   bigint,
        clock_offset_max_ms   bigint,
        clock_resets          bigint NOT NULL DEFAULT 0
      );

      -- Every event that names a chain position, whatever its verdict, keyed by
      -- (gateway, seq): the chain is verified across all topics and partitions.
      CREATE TABLE gateway_events (
        gateway_id            text NOT NULL,
        seq                   bigint NOT NULL CHECK (seq > 0),
        event_id              uuid NOT NULL UNIQUE,
        event_type            text NOT NULL,
        source                text NOT NULL,
        hash                  text NOT NULL,
        value_digest          text NOT NULL,
        -- The record as received, to verify the chain and to dead-letter it later.
        value                 bytea NOT NULL,
        record_key            text,
        record_headers        jsonb NOT NULL,
        topic                 text NOT NULL,
        kafka_partition       integer NOT NULL,
        kafka_offset          bigint NOT NULL,
        recorded_at           timestamptz,
        received_at           timestamptz NOT NULL,
        clock_offset_ms       bigint,
        clock_went_backwards  boolean NOT NULL DEFAULT false,
        content_ok            boolean NOT NULL,
        chain                 text NOT NULL CHECK (chain IN ('awaiting', 'linked', 'broken', 'after_gap', 'late')),
        status                text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        reason_code           text,
        reason                text,
        settled_at            timestamptz,
        PRIMARY KEY (gateway_id, seq)
      );
      CREATE INDEX gateway_events_waiting ON gateway_events (received_at) WHERE chain = 'awaiting';

      -- Holes in a gateway's seq reported after the grace time.
      CREATE TABLE sequence_gaps (
        gateway_id   text NOT NULL,
        from_seq     bigint NOT NULL,
        to_seq       bigint NOT NULL,
        detected_at  timestamptz NOT NULL,
        filled_at    timestamptz,
        PRIMARY KEY (gateway_id, from_seq)
      );

      -- Every refusal, including records that name no chain position (not JSON, no seq).
      CREATE TABLE ingest_rejections (
        id              bigserial PRIMARY KEY,
        topic           text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset    bigint NOT NULL,
        event_id        uuid,
        gateway_id      text,
        seq             bigint,
        value_digest    text NOT NULL,
        reason_code     text NOT NULL,
        reason          text NOT NULL,
        rejected_at     timestamptz NOT NULL,
        UNIQUE (topic, kafka_partition, kafka_offset, reason_code)
      );
      CREATE INDEX ingest_rejections_event ON ingest_rejections (event_id, value_digest);
    `,
  },
  {
    version: 3,
    name: 'ingest guard: holes a gateway explained by its dead-letter notices',
    sql: `
      -- Events a gateway dead-lettered locally because Kafka refused them for good, as its
      -- notice on the dead-letter topic tells (sync/deadLettering.ts): no data, only what
      -- the chain needs to go on across the hole (its hash).
      CREATE TABLE gateway_dead_letters (
        gateway_id   text NOT NULL,
        seq          bigint NOT NULL CHECK (seq > 0),
        event_id     uuid NOT NULL,
        event_type   text NOT NULL,
        hash         text NOT NULL,
        recorded_at  timestamptz,
        reason_code  text NOT NULL,
        reason       text NOT NULL,
        received_at  timestamptz NOT NULL,
        PRIMARY KEY (gateway_id, seq)
      );
      -- A hole with an explanation is not a violation: when and why it was explained.
      ALTER TABLE sequence_gaps ADD COLUMN explained_at timestamptz;
      ALTER TABLE sequence_gaps ADD COLUMN explanation text;
    `,
  },
  {
    version: 4,
    name: 'FHIR service: resources, history and search index',
    sql: `
      -- The current version of each FHIR R4 resource, as JSON (meta.versionId, meta.lastUpdated inside).
      CREATE TABLE fhir_resources (
        resource_type    text NOT NULL,
        id               text NOT NULL,
        version_id       integer NOT NULL,
        last_updated     timestamptz NOT NULL,
        patient_id       text,
        source_event_id  uuid NOT NULL,
        resource         jsonb NOT NULL,
        PRIMARY KEY (resource_type, id)
      );
      CREATE INDEX fhir_resources_patient ON fhir_resources (resource_type, patient_id);
      -- Every version (vread, audit of what the API served).
      CREATE TABLE fhir_resource_history (
        resource_type    text NOT NULL,
        id               text NOT NULL,
        version_id       integer NOT NULL,
        last_updated     timestamptz NOT NULL,
        source_event_id  uuid NOT NULL,
        resource         jsonb NOT NULL,
        PRIMARY KEY (resource_type, id, version_id)
      );
      -- Search parameter values of the current version: tokens, strings (lower case), dates.
      CREATE TABLE fhir_search_index (
        resource_type  text NOT NULL,
        id             text NOT NULL,
        name           text NOT NULL,
        value          text,
        date_value     timestamptz,
        FOREIGN KEY (resource_type, id) REFERENCES fhir_resources ON DELETE CASCADE
      );
      CREATE INDEX fhir_search_value ON fhir_search_index (resource_type, name, value);
      CREATE INDEX fhir_search_date ON fhir_search_index (resource_type, name, date_value);
      CREATE INDEX fhir_search_resource ON fhir_search_index (resource_type, id);
    `,
  },
  {
    version: 5,
    name: 'audit service: append-only audit log, PHI access log, compliance findings',
    sql: `
      CREATE FUNCTION nilecare_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$;

      -- Every guarded event, once, with the verdict on its hash.
      CREATE TABLE audit_log (
        id               bigserial PRIMARY KEY,
        event_id         uuid NOT NULL UNIQUE,
        event_type       text NOT NULL,
        source           text NOT NULL,
        origin           text NOT NULL CHECK (origin IN ('gateway', 'hub')),
        gateway_id       text,
        seq              bigint,
        hash             text,
        -- Recomputed here from the event and its predecessor's hash, compared with the guard's.
        hash_verified    boolean,
        patient_id       text,
        user_id          text,
        user_role        text,
        correlation_id   text,
        causation_id     text,
        facility_id      text NOT NULL,
        tenant_id        text NOT NULL,
        occurred_at      timestamptz NOT NULL,
        recorded_at      timestamptz,
        logged_at        timestamptz NOT NULL,
        topic            text NOT NULL,
        kafka_partition  integer NOT NULL,
        kafka_offset     bigint NOT NULL,
        event            jsonb NOT NULL
      );
      CREATE INDEX audit_log_patient ON audit_log (patient_id, occurred_at);
      CREATE INDEX audit_log_user ON audit_log (user_id, occurred_at);
      CREATE INDEX audit_log_correlation ON audit_log (correlation_id);
      CREATE INDEX audit_log_time ON audit_log (occurred_at, id);

      -- Each reading of a national ID in clear (sudan_national_id_accessed).
      CREATE TABLE phi_access_log (
        id             bigserial PRIMARY KEY,
        event_id       uuid NOT NULL UNIQUE,
        patient_id     text NOT NULL,
        user_id        text NOT NULL,
        user_role      text,
        facility_id    text NOT NULL,
        gateway_id     text,
        access_reason  text NOT NULL,
        ip_address     text NOT NULL,
        accessed_at    timestamptz NOT NULL,
        logged_at      timestamptz NOT NULL
      );
      CREATE INDEX phi_access_user ON phi_access_log (user_id, accessed_at);

      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION nilecare_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION nilecare_refuse_change();
      CREATE TRIGGER phi_access_append_only BEFORE UPDATE OR DELETE ON phi_access_log
        FOR EACH ROW EXECUTE FUNCTION nilecare_refuse_change();
      CREATE TRIGGER phi_access_no_truncate BEFORE TRUNCATE ON phi_access_log
        FOR EACH STATEMENT EXECUTE FUNCTION nilecare_refuse_change();

      -- One violation per rule and key (a user's hour, an access): raised once, whatever the replays.
      CREATE TABLE compliance_findings (
        rule          text NOT NULL,
        finding_key   text NOT NULL,
        violation_id  uuid NOT NULL,
        user_id       text,
        detected_at   timestamptz NOT NULL,
        PRIMARY KEY (rule, finding_key)
      );
    `,
  },
  {
    version: 6,
    name: 'notifications, clinical decision support, analytics and MoH reports',
    sql: `
      -- Who is told what (docs/notifications.md): per facility, optionally per ward.
      CREATE TABLE notification_recipients (
        recipient_id   text PRIMARY KEY,
        recipient_kind text NOT NULL DEFAULT 'staff' CHECK (recipient_kind IN ('staff', 'patient')),
        facility_id    text NOT NULL,
        ward           text,
        purposes       text[] NOT NULL,
        language       text NOT NULL DEFAULT 'ar' CHECK (language IN ('ar', 'en')),
        email          text,
        sms_phone      text,
        push_url       text,
        active         boolean NOT NULL DEFAULT true
      );
      CREATE INDEX notification_recipients_facility ON notification_recipients (facility_id);

      -- One row per (event, recipient, channel): a redelivered event never notifies twice.
      CREATE TABLE notifications (
        notification_id  uuid PRIMARY KEY,
        event_id         uuid NOT NULL,
        recipient_id     text NOT NULL,
        channel          text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
        purpose          text NOT NULL,
        alert_id         text,
        patient_id       text,
        facility_id      text NOT NULL,
        tenant_id        text NOT NULL,
        correlation_id   text,
        subject          text NOT NULL,
        body             text NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        last_error       text,
        provider_id      text,
        created_at       timestamptz NOT NULL,
        sent_at          timestamptz,
        UNIQUE (event_id, recipient_id, channel)
      );
      CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';

      -- CDS: what the service knows of each patient, from the events.
      CREATE TABLE cds_prescriptions (
        medication_request_id text PRIMARY KEY,
        patient_id      text NOT NULL,
        drug_name       text NOT NULL,
        atc_code        text,
        dose            jsonb NOT NULL,
        route           text NOT NULL,
        frequency       text NOT NULL,
        status          text NOT NULL CHECK (status IN ('active', 'discontinued')),
        event_id        uuid NOT NULL,
        gateway_id      text,
        prescribed_at   timestamptz NOT NULL
      );
      CREATE INDEX cds_prescriptions_patient ON cds_prescriptions (patient_id) WHERE status = 'active';
      CREATE TABLE cds_allergies (
        patient_id  text NOT NULL,
        allergen    text NOT NULL,
        PRIMARY KEY (patient_id, allergen)
      );
      CREATE TABLE cds_findings (
        finding_event_id  uuid PRIMARY KEY,
        event_type        text NOT NULL,
        cause_event_id    uuid NOT NULL,
        patient_id        text,
        gateway_id        text,
        detected_at       timestamptz NOT NULL
      );
      CREATE TABLE cds_guideline_suggestions (
        diagnosis_event_id  uuid PRIMARY KEY,
        patient_id          text,
        diagnosis_id        text NOT NULL,
        code                text NOT NULL,
        title               text NOT NULL,
        publisher           text NOT NULL,
        reference           text NOT NULL,
        table_version       text NOT NULL,
        gateway_id          text,
        suggested_at        timestamptz NOT NULL
      );

      -- Analytics: counts per 5-minute tumbling window of event time (seed "Stream Processing").
      CREATE TABLE analytics_event_counts (
        window_start  timestamptz NOT NULL,
        event_type    text NOT NULL,
        facility_id   text NOT NULL,
        count         bigint NOT NULL,
        PRIMARY KEY (window_start, event_type, facility_id)
      );
      -- Every event counted, once: the correlation query reads it too.
      CREATE TABLE analytics_events (
        event_id        uuid PRIMARY KEY,
        event_type      text NOT NULL,
        facility_id     text NOT NULL,
        tenant_id       text NOT NULL,
        event_time      timestamptz NOT NULL,
        correlation_id  text,
        causation_id    text,
        gateway_id      text,
        seq             bigint,
        source          text NOT NULL,
        topic           text NOT NULL
      );
      CREATE INDEX analytics_events_correlation ON analytics_events (correlation_id, event_time)
        WHERE correlation_id IS NOT NULL;
      CREATE INDEX analytics_events_time ON analytics_events (event_time);

      -- Ministry of Health reports, one per (facility, type, period).
      CREATE TABLE moh_reports (
        report_id         uuid PRIMARY KEY,
        facility_id       text NOT NULL,
        tenant_id         text NOT NULL,
        report_type       text NOT NULL,
        reporting_period  text NOT NULL,
        period_start      timestamptz NOT NULL,
        period_end        timestamptz NOT NULL,
        figures           jsonb NOT NULL,
        compliance_status text NOT NULL,
        overall_score     numeric NOT NULL,
        generated_at      timestamptz NOT NULL,
        UNIQUE (facility_id, report_type, reporting_period)
      );
    `,
  },
  {
    version: 7,
    name: 'ingest guard: a notification when a verdict commits',
    sql: `
      -- Downstream services wait for the guard's verdict on a record (docs/hub.md, "Which events
      -- downstream services trust"); NOTIFY is delivered when the transaction commits, so they
      -- look again the moment a verdict is there instead of polling. One per statement, and
      -- PostgreSQL folds equal notifications of one transaction into one.
      CREATE FUNCTION notify_guard_verdicts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'ingest_rejections' THEN
          PERFORM pg_notify('nilecare_guard_verdicts', '');
        ELSIF EXISTS (SELECT 1 FROM changed WHERE status <> 'pending') THEN
          PERFORM pg_notify('nilecare_guard_verdicts', '');
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER gateway_events_verdicts_inserted AFTER INSERT ON gateway_events
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_guard_verdicts();
      CREATE TRIGGER gateway_events_verdicts_updated AFTER UPDATE ON gateway_events
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_guard_verdicts();
      CREATE TRIGGER ingest_rejections_verdicts AFTER INSERT ON ingest_rejections
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_guard_verdicts();
    `,
  },
];

const lockKey = 4_672_011; // pg_advisory_xact_lock key: one migrating hub at a time

/** Applies the migrations not yet applied; refuses a database written by a newer hub. */
export async function migrateHubDatabase(
  pool: HubPool,
  migrations: readonly Migration[] = hubMigrations,
): Promise<{ applied: number[]; version: number }> {
  // Under the lock too: two hubs starting at once race even on CREATE TABLE IF NOT EXISTS.
  await withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS hub_schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  });
  const applied: number[] = [];
  const known = migrations.at(-1)?.version ?? 0;
  for (const migration of migrations) {
    const done = await withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      const { rows } = await tx.query<{ version: number }>(
        'SELECT coalesce(max(version), 0)::int AS version FROM hub_schema_migrations',
      );
      const current = rows[0]?.version ?? 0;
      if (current > known) throw new HubError('HUB_ERR_DB_NEWER_SCHEMA', [current, known]);
      if (current >= migration.version) return false;
      try {
        await tx.query(migration.sql);
      } catch (error) {
        throw new HubError('HUB_ERR_DB_MIGRATION', [
          `${migration.version} (${migration.name})`,
          (error as Error).message,
        ]);
      }
      await tx.query('INSERT INTO hub_schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const { rows } = await pool.query<{ version: number }>(
    'SELECT coalesce(max(version), 0)::int AS version FROM hub_schema_migrations',
  );
  const version = rows[0]?.version ?? 0;
  if (version > known) throw new HubError('HUB_ERR_DB_NEWER_SCHEMA', [version, known]);
  return { applied, version };
}
