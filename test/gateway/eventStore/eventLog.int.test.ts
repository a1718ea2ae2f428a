import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../kernel/events/canonical.ts';
import { GENESIS_HASH } from '../../../kernel/events/chainHash.ts';
import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { EventLog } from '../../../gateway/eventStore/eventLog.ts';
import { openDatabase, type SqliteDatabase } from '../../../gateway/eventStore/openDatabase.ts';
import { countingIds, testFacility } from '../../harness/handBuiltEvents.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let path: string;
let db: SqliteDatabase;
let now: number;
const clock = () => new Date(now);
const newId = countingIds();

function reading(deviceSeq: number, eventId = newId()): EventDraft {
  return {
    eventId,
    eventType: 'vital_signs_recorded',
    timestamp: '2025-03-07T10:00:00.000Z',
    version: '1.0',
    patientId: 'patient-1',
    ...testFacility,
    source: 'device-integration-service',
    data: {
      method: 'device',
      deviceId: 'monitor-1',
      deviceSeq,
      measuredAt: '2025-03-07T10:00:00.000Z',
      heartRate: { value: 70 + deviceSeq, unit: '/min' },
    },
  };
}

function openLog(): EventLog {
  return new EventLog(db, { gatewayId: 'gw-test', clock });
}

function append(log: EventLog, draft: EventDraft, deviceKey?: string) {
  return db.transaction(() => log.append(draft, deviceKey))();
}

function appended(log: EventLog, draft: EventDraft, deviceKey?: string) {
  const outcome = append(log, draft, deviceKey);
  if (!outcome.appended) throw new Error(`expected an append, got a duplicate of ${outcome.duplicateOfSeq}`);
  return outcome.event;
}

/** A raw connection that bypasses the gateway's code: what the database itself allows. */
function rawConnection(): Database.Database {
  return new Database(path);
}

beforeEach(() => {
  dir = tempDataDir();
  path = join(dir.path, 'gateway.db');
  db = openDatabase({ path });
  now = Date.parse('2025-03-07T10:00:00.000Z');
});

afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

describe('EventLog.append', () => {
  it('numbers events 1, 2, 3 ... and stamps recordedAt from the injected clock', () => {
    const log = openLog();
    const events = [0, 1, 2].map((index) => {
      now += 1500;
      return appended(log, reading(index));
    });
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events.map((event) => event.recordedAt)).toEqual([
      '2025-03-07T10:00:01.500Z',
      '2025-03-07T10:00:03.000Z',
      '2025-03-07T10:00:04.500Z',
    ]);
    expect(events.every((event) => event.gatewayId === 'gw-test')).toBe(true);
    expect(log.head.seq).toBe(3);
  });

  it('chains each hash over the previous hash and the canonical body', () => {
    const log = openLog();
    const [first, second] = [appended(log, reading(0)), appended(log, reading(1))];
    const sha = (previous: string, body: string) =>
      createHash('sha256').update(previous).update(body).digest('hex');
    const { hash: h1, ...body1 } = first;
    const { hash: h2, ...body2 } = second;
    expect(h1).toBe(sha(GENESIS_HASH, canonicalJson(body1)));
    expect(h2).toBe(sha(h1, canonicalJson(body2)));
    const stored = db
      .prepare<[], { seq: number; hash: Buffer; body: string }>(
        'SELECT seq, hash, body FROM events ORDER BY seq',
      )
      .all();
    expect(stored.map((row) => row.hash.toString('hex'))).toEqual([h1, h2]);
    expect(stored[1]!.body).toBe(canonicalJson(body2));
    expect(log.head).toEqual({ seq: 2, hash: h2 });
  });

  it('continues the same chain after the database is reopened', () => {
    const before = appended(openLog(), reading(0));
    db.close();
    db = openDatabase({ path });
    const log = openLog();
    expect(log.head).toEqual({ seq: 1, hash: before.hash });
    expect(appended(log, reading(1)).seq).toBe(2);
  });

  it('opens over a log whose last body was damaged, leaving the report to verifyChain', () => {
    const log = openLog();
    appended(log, reading(0));
    appended(log, reading(1));
    db.close();
    const raw = rawConnection();
    raw.exec("DROP TRIGGER events_refuse_update; UPDATE events SET body = 'not json' WHERE seq = 2;");
    raw.close();
    db = openDatabase({ path });
    expect(openLog().head.seq).toBe(2);
  });

  it('must run inside a transaction', () => {
    expect(() => openLog().append(reading(0))).toThrow(/inside a transaction/);
  });

  it('reads events back in order, a page at a time', () => {
    const log = openLog();
    const written = [0, 1, 2, 3, 4].map((index) => appended(log, reading(index)));
    expect([...log.iterate(1, 2)]).toEqual(written);
    expect(log.readFrom(4, 10).map((event) => event.seq)).toEqual([4, 5]);
    expect(log.count()).toBe(5);
  });
});

describe('a gateway clock that goes backwards', () => {
  it('is flagged on the event with the previous recordedAt', () => {
    const log = openLog();
    appended(log, reading(0));
    now -= 3_600_000; // power loss reset the clock by an hour
    const flagged = appended(log, reading(1));
    expect(flagged.metadata).toEqual({
      gatewayClockWentBackwards: { previousRecordedAt: '2025-03-07T10:00:00.000Z' },
    });
    now += 1000;
    expect(appended(log, reading(2)).metadata).toBeUndefined();
  });

  it('keeps the draft metadata beside the flag', () => {
    const log = openLog();
    appended(log, reading(0));
    now -= 1000;
    const flagged = appended(log, { ...reading(1), metadata: { via: 'serial' } });
    expect(flagged.metadata).toMatchObject({
      via: 'serial',
      gatewayClockWentBackwards: { previousRecordedAt: '2025-03-07T10:00:00.000Z' },
    });
  });

  it('is detected across a restart, against the last stored event', () => {
    appended(openLog(), reading(0));
    db.close();
    db = openDatabase({ path });
    now -= 60_000;
    expect(appended(openLog(), reading(1)).metadata?.gatewayClockWentBackwards).toEqual({
      previousRecordedAt: '2025-03-07T10:00:00.000Z',
    });
  });
});

describe('a device retransmission (same deviceKey)', () => {
  it('is not stored again and names the seq it duplicates', () => {
    const log = openLog();
    appended(log, reading(0), 'monitor-1#7');
    appended(log, reading(1), 'monitor-1#8');
    expect(append(log, reading(0), 'monitor-1#7')).toEqual({ appended: false, duplicateOfSeq: 1 });
    expect(log.count()).toBe(2);
    expect(log.head.seq).toBe(2);
  });
});

describe('a device whose counter restarted (same deviceKey, another timestamp)', () => {
  it('is stored, never dropped, and flagged with the earlier event it shares the seq with', () => {
    const log = openLog();
    appended(log, reading(7), 'monitor-1#7');
    const later = { ...reading(7), timestamp: '2025-03-07T11:00:00.000Z' };
    const stored = appended(log, later, 'monitor-1#7');
    expect(stored.seq).toBe(2);
    expect(stored.metadata?.deviceSeqReused).toEqual({ earlierEventSeq: 1 });
    // ... and its own retransmission is then recognised.
    expect(append(log, { ...later, eventId: newId() }, 'monitor-1#7')).toEqual({
      appended: false,
      duplicateOfSeq: 2,
    });
    expect(log.count()).toBe(2);
  });
});

describe('eventId', () => {
  it('is unique: a second event with the same id is refused and leaves no gap', () => {
    const log = openLog();
    const first = reading(0);
    appended(log, first);
    expect(() => append(log, reading(1, first.eventId))).toThrow();
    expect(log.count()).toBe(1);
    expect(appended(log, reading(2)).seq).toBe(2);
  });
});

describe('the append-only log, enforced by the database itself', () => {
  function withTwoEvents(): void {
    const log = openLog();
    appended(log, reading(0), 'monitor-1#0');
    appended(log, reading(1), 'monitor-1#1');
    db.close();
  }

  it('refuses UPDATE of an event', () => {
    withTwoEvents();
    const raw = rawConnection();
    try {
      expect(() => raw.prepare("UPDATE events SET body = '{}' WHERE seq = 1").run()).toThrow(
        /GW_ERR_LOG_APPEND_ONLY/,
      );
      expect(() => raw.prepare('UPDATE events SET device_key = NULL').run()).toThrow(
        /GW_ERR_LOG_APPEND_ONLY/,
      );
    } finally {
      raw.close();
    }
  });

  it('refuses DELETE of an event', () => {
    withTwoEvents();
    const raw = rawConnection();
    try {
      expect(() => raw.prepare('DELETE FROM events WHERE seq = 2').run()).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(raw.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
    } finally {
      raw.close();
    }
  });

  it('refuses an insert that leaves a gap in seq, or reuses one', () => {
    withTwoEvents();
    const raw = rawConnection();
    const insert = raw.prepare(
      'INSERT INTO events (seq, event_id, event_type, body, hash) VALUES (?, ?, ?, ?, ?)',
    );
    try {
      expect(() =>
        insert.run(4, Buffer.alloc(16, 4), 'vital_signs_recorded', '{}', Buffer.alloc(32)),
      ).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(() =>
        insert.run(1, Buffer.alloc(16, 5), 'vital_signs_recorded', '{}', Buffer.alloc(32)),
      ).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(raw.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
    } finally {
      raw.close();
    }
  });

  it('refuses INSERT OR REPLACE, which would delete the event it collides with', () => {
    withTwoEvents();
    const raw = rawConnection();
    const stored = raw.prepare<[], { event_id: Buffer }>('SELECT event_id FROM events WHERE seq = 1').get()!;
    const replace = raw.prepare(
      'INSERT OR REPLACE INTO events (seq, event_id, event_type, body, hash, device_key) VALUES (?, ?, ?, ?, ?, ?)',
    );
    try {
      expect(() =>
        replace.run(3, stored.event_id, 'vital_signs_recorded', '{}', Buffer.alloc(32), null),
      ).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(() =>
        replace.run(3, Buffer.alloc(16, 9), 'vital_signs_recorded', '{}', Buffer.alloc(32), 'monitor-1#1'),
      ).toThrow(/GW_ERR_LOG_APPEND_ONLY/);
      expect(raw.prepare('SELECT seq FROM events ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }]);
    } finally {
      raw.close();
    }
  });
});
