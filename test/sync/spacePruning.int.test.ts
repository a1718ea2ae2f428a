import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../gateway/eventStore/verifyChain.ts';
import {
  configureRetention,
  pruneAcknowledgedEarly,
  pruneForSpace,
  reusableBytes,
} from '../../sync/retention.ts';
import { createSyncStore } from '../../sync/syncStore.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;

beforeEach(async () => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, new Date().toISOString());
  // Recorded just now: far younger than any retention age.
  await recorded.record(
    'patient_registered',
    { firstName: 'Amna', lastName: 'Osman', sex: 'female', registeredAt: new Date().toISOString() },
    { patientId: 'p-1' },
  );
  for (let n = 2; n <= 12; n += 1)
    await recorded.reading('p-1', n, { heartRate: { value: 70 + n, unit: '/min' } });
});
afterEach(() => {
  if (recorded.services.db.open) recorded.close();
  dir.remove();
});

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
const minAge = () =>
  recorded.services.db.prepare('SELECT min_age_seconds AS age FROM sync_retention').get() as {
    age: number | null;
  };

describe('pruning for disk space (guarantee 3)', () => {
  it('prunes young acknowledged events with retention off, and leaves retention off', async () => {
    acknowledge({ clinical: 1, telemetry: 8 });
    expect(pruneAcknowledgedEarly(recorded.services.db)).toEqual({ pruned: 8, prunedThroughSeq: 8 });
    expect(remainingSeqs()).toEqual([9, 10, 11, 12]);
    expect(minAge()).toEqual({ age: null });
    expect(verifyChain(recorded.services.db)).toMatchObject({ ok: true, events: 4, prunedThroughSeq: 8 });
  });

  it('never prunes what the hub has not acknowledged, nor the newest event', async () => {
    acknowledge({ clinical: 1, telemetry: 4 });
    expect(await pruneForSpace(recorded.services.db, { chunk: 2 })).toBe(4);
    expect(remainingSeqs()).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    acknowledge({ telemetry: 12 });
    expect(await pruneForSpace(recorded.services.db)).toBe(7);
    expect(remainingSeqs()).toEqual([12]);
  });

  it('puts the configured retention age back', () => {
    configureRetention(recorded.services.db, 30);
    acknowledge({ clinical: 1, telemetry: 12 });
    expect(pruneAcknowledgedEarly(recorded.services.db, 3).pruned).toBe(3);
    expect(minAge()).toEqual({ age: 30 * 86_400 });
  });

  it('counts the pages it freed as reusable space inside the database file', async () => {
    for (let n = 13; n <= 2000; n += 1)
      await recorded.reading('p-1', n, { heartRate: { value: 60 + (n % 40), unit: '/min' } });
    acknowledge({ clinical: 1, telemetry: 2000 });
    const before = reusableBytes(recorded.services.db);
    expect(await pruneForSpace(recorded.services.db)).toBe(1999);
    expect(reusableBytes(recorded.services.db)).toBeGreaterThan(before + 100 * 1024);
  });
});
