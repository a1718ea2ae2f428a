import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubPool, openHubPool, withTransaction } from '../../../hub/db/hubDatabase.ts';
import { migrateHubDatabase } from '../../../hub/db/migrations.ts';
import { listenForVerdicts, type VerdictSignal } from '../../../hub/services/verdictSignal.ts';
import { testDatabase } from '../../harness/postgres.ts';

const noTimeout = 10 * 60_000; // ms: the notification, not the fallback, must end these waits

/** A stored gateway event row with a given status, as the guard writes them. */
const eventRow = (seq: number, status: 'pending' | 'accepted') => [
  'gw-signal',
  seq,
  `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
  status,
];
const insertEvent = `INSERT INTO gateway_events (gateway_id, seq, event_id, event_type, source, hash, value_digest, value,
  record_headers, topic, kafka_partition, kafka_offset, received_at, content_ok, chain, status)
  VALUES ($1, $2, $3, 'vital_signs_recorded', 'gateway-service', 'h', 'd', '\\x7b7d', '{}', 't', 0, $2, now(), true,
    'awaiting', $4)`;

describe("the guard's verdict notifications", () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let pool: HubPool;
  let signal: VerdictSignal;
  beforeAll(async () => {
    database = await testDatabase();
    pool = await openHubPool(database.url);
    await migrateHubDatabase(pool);
    signal = await listenForVerdicts(database.url, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await signal?.close();
    await pool?.end();
    await database?.drop();
  });

  it('wake a waiting service when a verdict commits, and not for a pending event or a rolled-back verdict', async () => {
    expect(signal.listening()).toBe(true);
    const since = signal.count();
    await pool.query(insertEvent, eventRow(1, 'pending'));
    await withTransaction(pool, async (tx) => {
      await tx.query(insertEvent, eventRow(2, 'accepted'));
      throw new Error('rolled back on purpose');
    }).catch(() => undefined);
    await pool.query(insertEvent, eventRow(3, 'accepted'));
    await signal.wait(since, noTimeout);
    // Notifications arrive in commit order: had the first two notified, they would be counted too.
    expect(signal.count()).toBe(since + 1);
  });

  it('wake it when the guard settles a waiting event or refuses a record', async () => {
    const settled = signal.count();
    await pool.query(`UPDATE gateway_events SET status = 'accepted', chain = 'linked' WHERE seq = 1`);
    await signal.wait(settled, noTimeout);
    const refused = signal.count();
    await pool.query(
      `INSERT INTO ingest_rejections (topic, kafka_partition, kafka_offset, value_digest, reason_code, reason, rejected_at)
       VALUES ('t', 0, 9, 'd', 'HUB_ERR_RECORD_UNREADABLE', 'not JSON', now())`,
    );
    await signal.wait(refused, noTimeout);
    expect(signal.count()).toBe(refused + 1);
  });

  it('returns at once to a service that looked before a verdict it has not waited for yet', async () => {
    const before = signal.count();
    await pool.query(`UPDATE gateway_events SET status = 'accepted' WHERE seq = 3`);
    await signal.wait(before, noTimeout); // arrives while or before this waits
    await signal.wait(before, noTimeout); // counted already: resolves at once
    expect(signal.count()).toBeGreaterThan(before);
  });
});
