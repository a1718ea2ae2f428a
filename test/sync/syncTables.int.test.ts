import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../gateway/eventStore/migrations.ts';
import { openDatabase } from '../../gateway/eventStore/openDatabase.ts';
import { createSyncStore } from '../../sync/syncStore.ts';
import { readSyncStatus } from '../../sync/syncStatus.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;

beforeEach(() => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, '2026-03-01T08:00:00.000Z');
});
afterEach(() => {
  if (recorded.services.db.open) recorded.close();
  dir.remove();
});

const lanesOf = () =>
  recorded.services.db
    .prepare<[], { lane: string; seq: number }>('SELECT lane, seq FROM sync_lane_events ORDER BY seq')
    .all();

async function clinicScene() {
  await recorded.registerAndAdmit('p-1', 'Amna', { ward: 'A', bed: 'A1' }); // seq 1-3: clinical
  await recorded.reading('p-1', 1, { heartRate: { value: 80, unit: '/min' } }); // 4: telemetry
  await recorded.reading('p-1', 2, { oxygenSaturation: { value: 80, unit: '%' } }); // 5 telemetry, 6 alert
  await recorded.reading('p-1', 3, { heartRate: { value: 82, unit: '/min' } }); // 7: telemetry
}

describe("each event's sync lane", () => {
  it('is filed by the append itself, in the same transaction, from the catalogue', async () => {
    await clinicScene();
    expect(lanesOf()).toEqual([
      { lane: 'clinical', seq: 1 },
      { lane: 'clinical', seq: 2 },
      { lane: 'clinical', seq: 3 },
      { lane: 'telemetry', seq: 4 },
      { lane: 'telemetry', seq: 5 },
      { lane: 'alert', seq: 6 },
      { lane: 'telemetry', seq: 7 },
    ]);
  });

  it("reads a lane's next batch through the (lane, seq) index, never by scanning the log", () => {
    const plan = recorded.services.db
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT e.seq, e.body, e.hash FROM sync_lane_events l JOIN events e ON e.seq = l.seq
         WHERE l.lane = 'alert' AND l.seq > 5 ORDER BY l.seq LIMIT 500`,
      )
      .all()
      .map((row) => row.detail);
    expect(plan).toEqual([
      'SEARCH l USING PRIMARY KEY (lane=? AND seq>?)',
      'SEARCH e USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });

  it('is given to the events already in a log written before migration 4', async () => {
    recorded.close();
    const path = join(dir.path, 'older.db');
    const older = openDatabase({ path, migrations: migrations.slice(0, 3) });
    older.exec(`INSERT INTO events (seq, event_id, event_type, body, hash) VALUES
      (1, randomblob(16), 'vital_signs_recorded', '{}', randomblob(32)),
      (2, randomblob(16), 'critical_value_detected', '{}', randomblob(32)),
      (3, randomblob(16), 'a_type_no_catalogue_knows', '{}', randomblob(32))`);
    older.close();
    const upgraded = openDatabase({ path });
    expect(upgraded.prepare('SELECT lane, seq FROM sync_lane_events ORDER BY seq').all()).toEqual([
      { lane: 'telemetry', seq: 1 },
      { lane: 'alert', seq: 2 },
      { lane: 'clinical', seq: 3 },
    ]);
    upgraded.close();
    recorded = openRecordedDataDir(dir.path, '2026-03-01T08:00:00.000Z');
  });
});

describe('the cursors and the hub-acknowledged watermark', () => {
  it('count the backlog per lane and stop the watermark below the oldest unacknowledged event', async () => {
    await clinicScene();
    const { db } = recorded.services;
    const store = createSyncStore(db);
    const at = '2026-03-01T08:00:05.000Z';
    expect(store.pendingLanes(store.cursors())).toEqual(new Set(['clinical', 'telemetry', 'alert']));

    store.markDelivered('alert', 6, { lastSuccessAt: at });
    store.markDelivered('telemetry', 7, { lastSuccessAt: at });
    let status = readSyncStatus(db, new Date('2026-03-01T08:01:00.000Z'));
    expect(status.lanes.map((lane) => [lane.lane, lane.backlog])).toEqual([
      ['alert', 0],
      ['clinical', 3],
      ['telemetry', 0],
      ['audit', 0],
    ]);
    expect(status.acknowledgedThroughSeq).toBe(0); // clinical 1-3 wait
    expect(status.oldestUnsyncedSeconds).toBe(60);

    store.markDelivered('clinical', 3, { lastSuccessAt: at });
    status = readSyncStatus(db, new Date('2026-03-01T08:01:00.000Z'));
    expect(status.acknowledgedThroughSeq).toBe(7);
    expect(status.backlog).toBe(0);
    expect(status.oldestUnsyncedSeconds).toBeNull();
    expect(status.estimatedDrainSeconds).toBe(0);
    expect(store.pendingLanes(store.cursors()).size).toBe(0);
  });

  it('never moves a cursor back, and refuses a watermark above what the cursors delivered', async () => {
    await clinicScene();
    const { db } = recorded.services;
    const store = createSyncStore(db);
    store.markDelivered('telemetry', 7, { lastSuccessAt: '2026-03-01T08:00:05.000Z' });
    store.markDelivered('telemetry', 4, { lastSuccessAt: '2026-03-01T08:00:06.000Z' });
    expect(store.cursors().telemetry).toBe(7);
    expect(() => db.prepare('UPDATE sync_retention SET acked_through_seq = 7').run()).toThrow(
      /SYNC_ERR_WATERMARK_AHEAD/,
    );
  });

  it('keeps a dead letter with its reason, moves the lane past it, and holds the watermark below it', async () => {
    await clinicScene();
    const { db } = recorded.services;
    const store = createSyncStore(db);
    store.markDelivered('clinical', 3, { lastSuccessAt: '2026-03-01T08:00:05.000Z' });
    store.markDelivered('telemetry', 4, { lastSuccessAt: '2026-03-01T08:00:05.000Z' });
    store.markDeadLettered({
      seq: 5,
      eventId: 'e5',
      eventType: 'vital_signs_recorded',
      lane: 'telemetry',
      topic: 'device-events',
      recordBytes: 2_000_000,
      reasonCode: 'MESSAGE_TOO_LARGE',
      reason: 'too large',
      failedAt: '2026-03-01T08:00:06.000Z',
      hubNotified: true,
    });
    store.markDelivered('telemetry', 7, { lastSuccessAt: '2026-03-01T08:00:07.000Z' });
    store.markDelivered('alert', 6, { lastSuccessAt: '2026-03-01T08:00:07.000Z' });
    const status = readSyncStatus(db, new Date('2026-03-01T08:01:00.000Z'));
    expect(status.backlog).toBe(0);
    expect(status.acknowledgedThroughSeq).toBe(4);
    expect(status.deadLetters).toMatchObject({
      count: 1,
      recent: [{ seq: 5, lane: 'telemetry', reasonCode: 'MESSAGE_TOO_LARGE', hubNotified: true }],
    });
  });
});
