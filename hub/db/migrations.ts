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
