import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubPool, openHubPool } from '../../../hub/db/hubDatabase.ts';
import { hubMigrations, migrateHubDatabase } from '../../../hub/db/migrations.ts';
import { testDatabase } from '../../harness/postgres.ts';

describe('the hub database schema', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let pool: HubPool;
  beforeAll(async () => {
    database = await testDatabase();
    pool = await openHubPool(database.url);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('is made by the numbered migrations, once, even when two hubs start at the same time', async () => {
    const [first, second] = await Promise.all([migrateHubDatabase(pool), migrateHubDatabase(pool)]);
    const latest = hubMigrations.at(-1)!.version;
    expect(first.version).toBe(latest);
    expect(second.version).toBe(latest);
    expect([...first.applied, ...second.applied].sort()).toEqual(hubMigrations.map((m) => m.version));
    const tables = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'analytics_event_counts',
      'analytics_events',
      'audit_log',
      'cds_allergies',
      'cds_findings',
      'cds_guideline_suggestions',
      'cds_prescriptions',
      'compliance_findings',
      'fhir_resource_history',
      'fhir_resources',
      'fhir_search_index',
      'gateway_chains',
      'gateway_dead_letters',
      'gateway_events',
      'hub_outbox',
      'hub_processed_events',
      'hub_schema_migrations',
      'ingest_rejections',
      'moh_reports',
      'notification_recipients',
      'notifications',
      'phi_access_log',
      'sequence_gaps',
    ]);
    expect((await migrateHubDatabase(pool)).applied).toEqual([]);
  });

  it('refuses to store one eventId twice, even under two seqs', async () => {
    const insert = (seq: number) =>
      pool.query(
        `INSERT INTO gateway_events (gateway_id, seq, event_id, event_type, source, hash, value_digest, value,
           record_headers, topic, kafka_partition, kafka_offset, received_at, content_ok, chain, status)
         VALUES ('gw', $1, '01900000-0000-7000-8000-000000000001', 't', 's', 'h', 'd', '\\x00', '{}', 'x', 0, 0, now(), true, 'awaiting', 'pending')`,
        [seq],
      );
    await insert(1);
    await expect(insert(2)).rejects.toThrow(/duplicate key value violates unique constraint/);
  });

  it('is refused by an older hub once a newer one has migrated it', async () => {
    await pool.query(`INSERT INTO hub_schema_migrations (version, name) VALUES (99, 'from the future')`);
    await expect(migrateHubDatabase(pool)).rejects.toMatchObject({ code: 'HUB_ERR_DB_NEWER_SCHEMA' });
    await pool.query('DELETE FROM hub_schema_migrations WHERE version = 99');
  });

  it('reports an unreachable server with the address and no password', async () => {
    await expect(openHubPool('postgresql://hub:secret@127.0.0.1:1/nowhere')).rejects.toThrow(
      expect.objectContaining({
        code: 'HUB_ERR_DB_UNREACHABLE',
        message: expect.stringMatching(
          /^PostgreSQL at postgresql:\/\/hub:\*\*\*@127\.0\.0\.1:1\/nowhere cannot be reached/,
        ),
      }),
    );
  });
});
