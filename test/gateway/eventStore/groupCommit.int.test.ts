import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClinicalEvent, EventDraft } from '../../../kernel/events/envelope.ts';
import { EventLog } from '../../../gateway/eventStore/eventLog.ts';
import { createGroupCommit } from '../../../gateway/eventStore/groupCommit.ts';
import { openDatabase, type SqliteDatabase } from '../../../gateway/eventStore/openDatabase.ts';
import { verifyChain } from '../../../gateway/eventStore/verifyChain.ts';
import { countingIds, testFacility } from '../../harness/handBuiltEvents.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let path: string;
let db: SqliteDatabase;
let reader: Database.Database;
let log: EventLog;
const newId = countingIds();

interface Item {
  draft: EventDraft;
  /** Throw after the append, as a failing reaction would: the append must roll back too. */
  failAfterAppend?: boolean;
}

function item(n: number, extra: Partial<Item> = {}): Item {
  return {
    draft: {
      eventId: newId(),
      eventType: 'vital_signs_recorded',
      timestamp: '2025-03-08T09:00:00.000Z',
      version: '1.0',
      ...testFacility,
      source: 'device-integration-service',
      data: {
        method: 'device',
        deviceId: `monitor-${n % 7}`,
        deviceSeq: n,
        measuredAt: '2025-03-08T09:00:00.000Z',
        oxygenSaturation: { value: 90 + (n % 10), unit: '%' },
      },
    },
    ...extra,
  };
}

function groupCommit(options: { maxBatch?: number } = {}) {
  const batches: number[] = [];
  const commit = createGroupCommit<Item, ClinicalEvent>({
    db,
    write(entry) {
      const outcome = log.append(entry.draft);
      if (!outcome.appended) throw new Error('unexpected duplicate');
      if (entry.failAfterAppend) throw new Error(`reaction to ${entry.draft.eventId} failed`);
      return outcome.event;
    },
    afterCommit: (results) => batches.push(results.length),
    afterRollback: () => log.resync(),
    ...options,
  });
  return { commit, batches };
}

/** Whether another connection (another process, in effect) can read the event: it is committed. */
function committed(seq: number): boolean {
  return (
    reader.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE seq = ?').get(seq)!.n ===
    1
  );
}

beforeEach(() => {
  dir = tempDataDir();
  path = join(dir.path, 'gateway.db');
  db = openDatabase({ path });
  reader = new Database(path, { readonly: true });
  log = new EventLog(db, { gatewayId: 'gw-test', clock: () => new Date('2025-03-08T09:00:01.000Z') });
});

afterEach(() => {
  reader.close();
  if (db.open) db.close();
  dir.remove();
});

describe('200 concurrent submits', () => {
  it('share far fewer transactions than appends', async () => {
    const { commit, batches } = groupCommit();
    const events = await Promise.all(Array.from({ length: 200 }, (_, n) => commit.submit(item(n))));
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 200 }, (_, n) => n + 1));
    expect(batches.length).toBeLessThanOrEqual(5);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(200);
  });

  it('each resolve only once another connection can read the event', async () => {
    const { commit } = groupCommit();
    const visibleAtResolve = await Promise.all(
      Array.from({ length: 200 }, (_, n) => commit.submit(item(n)).then((event) => committed(event.seq))),
    );
    expect(visibleAtResolve.filter(Boolean)).toHaveLength(200);
  });

  it('are split into transactions of at most maxBatch', async () => {
    const { commit, batches } = groupCommit({ maxBatch: 50 });
    await Promise.all(Array.from({ length: 200 }, (_, n) => commit.submit(item(n))));
    expect(batches).toEqual([50, 50, 50, 50]);
  });
});

describe('a failing item in a batch', () => {
  it('is refused alone while the others commit, with no gap in seq', async () => {
    const { commit, batches } = groupCommit();
    const items = Array.from({ length: 10 }, (_, n) => item(n, n === 4 ? { failAfterAppend: true } : {}));
    const outcomes = await Promise.allSettled(items.map((entry) => commit.submit(entry)));
    const refused = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [index] : []));
    expect(refused).toEqual([4]);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    const seqs = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.seq] : []));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches).toEqual([9]);
    expect(log.count()).toBe(9);
    expect(verifyChain(db)).toMatchObject({ ok: true, events: 9 });
    const ids = log.readFrom(1, 100).map((event) => event.eventId);
    expect(ids).not.toContain(items[4]!.draft.eventId);
  });
});

describe('flushNow', () => {
  it('commits what is queued before returning (for shutdown)', async () => {
    const { commit } = groupCommit();
    const pending = [commit.submit(item(1)), commit.submit(item(2)), commit.submit(item(3))];
    expect(commit.pending).toBe(3);
    commit.flushNow();
    expect(commit.pending).toBe(0);
    expect([1, 2, 3].map(committed)).toEqual([true, true, true]);
    await expect(Promise.all(pending)).resolves.toHaveLength(3);
  });
});
