import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../gateway/eventStore/verifyChain.ts';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import { configureRetention, pruneAcknowledged } from '../../sync/retention.ts';
import { createSyncStore } from '../../sync/syncStore.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;

/** Recorded 40 days ago and more (real clock: the database checks age with its own). */
const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();

beforeEach(() => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, longAgo);
});
afterEach(() => {
  if (recorded.services.db.open) recorded.close();
  dir.remove();
});

/** Ten readings recorded long ago (seq 1-10), then two today (11-12). */
async function oldThenNew() {
  await recorded.record(
    'patient_registered',
    { firstName: 'Amna', lastName: 'Osman', sex: 'female', registeredAt: longAgo },
    { patientId: 'p-1' },
  );
  for (let n = 2; n <= 10; n += 1)
    await recorded.reading('p-1', n, { heartRate: { value: 70 + n, unit: '/min' } });
  recorded.setTime(new Date().toISOString());
  for (let n = 11; n <= 12; n += 1)
    await recorded.reading('p-1', n, { heartRate: { value: 70 + n, unit: '/min' } });
}

function acknowledge(through: { clinical?: number; telemetry?: number }) {
  const store = createSyncStore(recorded.services.db);
  const at = new Date().toISOString();
  if (through.clinical) store.markDelivered('clinical', through.clinical, { lastSuccessAt: at });
  if (through.telemetry) store.markDelivered('telemetry', through.telemetry, { lastSuccessAt: at });
}

const remainingSeqs = () =>
  recorded.services.db
    .prepare<[], { seq: number }>('SELECT seq FROM events ORDER BY seq')
    .all()
    .map((row) => row.seq);

/** What the database itself allows, from a connection that bypasses the gateway's code. */
function rawDelete(sql: string): void {
  const raw = new Database(dataPaths(dir.path).database);
  try {
    raw.prepare(sql).run();
  } finally {
    raw.close();
  }
}

describe('local retention (guarantee 3)', () => {
  it('prunes nothing while retention is off, even events the hub acknowledged long ago', async () => {
    await oldThenNew();
    acknowledge({ clinical: 1, telemetry: 12 });
    expect(pruneAcknowledged(recorded.services.db)).toEqual({ pruned: 0, prunedThroughSeq: 0 });
    expect(() => rawDelete('DELETE FROM events WHERE seq = 1')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
  });

  it('refuses to prune events the hub has not acknowledged, however old', async () => {
    await oldThenNew();
    configureRetention(recorded.services.db, 30);
    acknowledge({ clinical: 1, telemetry: 4 }); // 5-12 not acknowledged
    expect(() => rawDelete('DELETE FROM events WHERE seq <= 6')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
    expect(remainingSeqs()).toHaveLength(12);
    expect(pruneAcknowledged(recorded.services.db)).toEqual({ pruned: 4, prunedThroughSeq: 4 });
    expect(remainingSeqs()[0]).toBe(5);
  });

  it('prunes acknowledged events older than the retention age, oldest first, and the chain still verifies', async () => {
    await oldThenNew();
    const before = verifyChain(recorded.services.db);
    configureRetention(recorded.services.db, 30);
    acknowledge({ clinical: 1, telemetry: 12 });
    expect(pruneAcknowledged(recorded.services.db)).toEqual({ pruned: 10, prunedThroughSeq: 10 });
    expect(remainingSeqs()).toEqual([11, 12]); // the two recorded today are too young
    const after = verifyChain(recorded.services.db);
    expect(after).toMatchObject({ ok: true, events: 2, prunedThroughSeq: 10 });
    expect(after.ok && before.ok && after.headHash === before.headHash).toBe(true);

    // The log goes on from its head; the chain verifies across the pruned prefix.
    await recorded.reading('p-1', 13, { heartRate: { value: 90, unit: '/min' } });
    expect(recorded.services.log.head.seq).toBe(13);
    expect(verifyChain(recorded.services.db)).toMatchObject({ ok: true, events: 3, prunedThroughSeq: 10 });
  });

  it('never prunes the newest event, an event younger than the age, or out of order', async () => {
    await oldThenNew();
    configureRetention(recorded.services.db, 30);
    acknowledge({ clinical: 1, telemetry: 12 });
    expect(() => rawDelete('DELETE FROM events WHERE seq = 3')).toThrow(/GW_ERR_LOG_APPEND_ONLY/); // not the oldest
    expect(() => rawDelete('DELETE FROM events WHERE seq = 12')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
    rawDelete('DELETE FROM events WHERE seq <= 10'); // what retention itself does
    expect(() => rawDelete('DELETE FROM events WHERE seq = 11')).toThrow(/GW_ERR_LOG_APPEND_ONLY/); // too young
    configureRetention(recorded.services.db, 0);
    expect(remainingSeqs()).toEqual([11, 12]);
  });

  it('stops below a dead-lettered event: it never reached the hub', async () => {
    await oldThenNew();
    configureRetention(recorded.services.db, 30);
    const store = createSyncStore(recorded.services.db);
    const at = new Date().toISOString();
    store.markDelivered('clinical', 1, { lastSuccessAt: at });
    store.markDelivered('telemetry', 5, { lastSuccessAt: at });
    store.markDeadLettered({
      seq: 6,
      eventId: 'e6',
      eventType: 'vital_signs_recorded',
      lane: 'telemetry',
      topic: 'device-events',
      recordBytes: 1,
      reasonCode: 'MESSAGE_TOO_LARGE',
      reason: 'too large',
      failedAt: at,
      hubNotified: false,
    });
    store.markDelivered('telemetry', 12, { lastSuccessAt: at });
    expect(pruneAcknowledged(recorded.services.db)).toEqual({ pruned: 5, prunedThroughSeq: 5 });
    expect(() => rawDelete('DELETE FROM events WHERE seq = 6')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
  });

  it('keeps the chain anchor out of reach: it moves only as the oldest event goes', async () => {
    await oldThenNew();
    expect(() => rawDelete('UPDATE chain_anchor SET seq = 5')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
    expect(() => rawDelete('DELETE FROM chain_anchor')).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
  });

  it('is reported as a missing event by verify when someone drops the refusal and deletes what was not prunable', async () => {
    await oldThenNew();
    recorded.close();
    const raw = new Database(dataPaths(dir.path).database);
    raw.exec('DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq = 1;');
    expect(verifyChain(raw)).toMatchObject({ ok: false, problem: { seq: 1, kind: 'missing' } });
    raw.close();
    recorded = openRecordedDataDir(dir.path, longAgo);
  });
});
