import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../kernel/events/canonical.ts';
import { chainHash } from '../../../kernel/events/chainHash.ts';
import type { ClinicalEvent, EventDraft } from '../../../kernel/events/envelope.ts';
import { EventLog } from '../../../gateway/eventStore/eventLog.ts';
import { openDatabase, type SqliteDatabase } from '../../../gateway/eventStore/openDatabase.ts';
import { type ChainVerdict, verifyChain } from '../../../gateway/eventStore/verifyChain.ts';
import { flipByteOfStoredValue } from '../../harness/databaseFileTamper.ts';
import { countingIds, testFacility } from '../../harness/handBuiltEvents.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let path: string;
let db: SqliteDatabase;
const newId = countingIds();

/** Five patient registrations; the third carries a first name found nowhere else in the file. */
const firstNames = ['Amna', 'Yousif', 'Zuhalqx', 'Omer', 'Fatima'];
const targetSeq = 3;

function registration(index: number): EventDraft {
  return {
    eventId: newId(),
    eventType: 'patient_registered',
    timestamp: '2025-03-09T08:00:00.000Z',
    version: '1.0',
    patientId: `patient-${index}`,
    ...testFacility,
    source: 'gateway-service',
    data: {
      firstName: firstNames[index]!,
      lastName: 'Test',
      sex: 'unknown',
      registeredAt: '2025-03-09T08:00:00.000Z',
    },
  };
}

function writeLog(): ClinicalEvent[] {
  const log = new EventLog(db, { gatewayId: 'gw-test', clock: () => new Date('2025-03-09T08:00:01.000Z') });
  return db.transaction(() =>
    firstNames.map((_, index) => {
      const outcome = log.append(registration(index));
      if (!outcome.appended) throw new Error('duplicate');
      return outcome.event;
    }),
  )();
}

/** Closes the database (the WAL is checkpointed into the main file and removed). */
function closeAndCheckpoint(): void {
  db.close();
  expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
}

function reopenAndVerify(): ChainVerdict {
  db = openDatabase({ path });
  return verifyChain(db);
}

beforeEach(() => {
  dir = tempDataDir();
  path = join(dir.path, 'gateway.db');
  db = openDatabase({ path });
});

afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

describe('verifyChain on an untouched log', () => {
  it('passes and reports the count and the head hash', () => {
    const events = writeLog();
    expect(verifyChain(db)).toEqual({ ok: true, events: 5, headHash: events.at(-1)!.hash });
  });

  it('passes on an empty log', () => {
    expect(verifyChain(db)).toMatchObject({ ok: true, events: 0 });
  });

  it('still passes after the file is closed and reopened', () => {
    writeLog();
    closeAndCheckpoint();
    expect(reopenAndVerify()).toMatchObject({ ok: true, events: 5 });
  });
});

describe('one byte flipped in the database file', () => {
  it('inside one event body is reported at exactly that seq as hash_mismatch', () => {
    writeLog();
    closeAndCheckpoint();
    // "Zuhalqx" becomes "Zuialqx".
    flipByteOfStoredValue(path, {
      bytes: 'Zuhalqx',
      offsetInValue: 2,
      readBack: `SELECT body FROM events WHERE seq = ${targetSeq}`,
    });
    const verdict = reopenAndVerify();
    expect(verdict).toMatchObject({
      ok: false,
      events: targetSeq - 1,
      problem: { seq: targetSeq, kind: 'hash_mismatch' },
    });
    // The tampered body still reads as JSON: only the chain gives it away.
    const body = db
      .prepare<[number], { body: string }>('SELECT body FROM events WHERE seq = ?')
      .get(targetSeq)!.body;
    expect(JSON.parse(body).data.firstName).toBe('Zuialqx');
  });

  it('inside one stored 32-byte hash is reported at exactly that seq as hash_mismatch', () => {
    const events = writeLog();
    closeAndCheckpoint();
    flipByteOfStoredValue(path, {
      bytes: Buffer.from(events[targetSeq - 1]!.hash, 'hex'),
      offsetInValue: 17,
      mask: 0x80,
      readBack: `SELECT hash FROM events WHERE seq = ${targetSeq}`,
    });
    expect(reopenAndVerify()).toMatchObject({
      ok: false,
      events: targetSeq - 1,
      problem: { seq: targetSeq, kind: 'hash_mismatch' },
    });
  });
});

describe('changes made by someone who drops the append-only triggers', () => {
  function raw(sql: string): void {
    closeAndCheckpoint();
    const connection = new Database(path);
    try {
      connection.exec(sql);
    } finally {
      connection.close();
    }
  }

  it('a deleted event is reported missing at its seq', () => {
    writeLog();
    raw('DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq = 3;');
    expect(reopenAndVerify()).toMatchObject({ ok: false, events: 2, problem: { seq: 3, kind: 'missing' } });
  });

  it('an indexed eventId that no longer matches the body is reported at its seq', () => {
    writeLog();
    raw('DROP TRIGGER events_refuse_update; UPDATE events SET event_id = randomblob(16) WHERE seq = 4;');
    expect(reopenAndVerify()).toMatchObject({
      ok: false,
      events: 3,
      problem: { seq: 4, kind: 'event_id_mismatch' },
    });
  });

  it('a rewritten body with a correctly recomputed hash is caught at the next link', () => {
    const events = writeLog();
    const { hash: _stored, ...body } = events[3]!;
    const forgedBody = canonicalJson({ ...body, data: { ...body.data, firstName: 'Forged' } });
    const forgedHash = chainHash(events[2]!.hash, forgedBody);
    closeAndCheckpoint();
    const connection = new Database(path);
    try {
      connection.exec('DROP TRIGGER events_refuse_update');
      connection
        .prepare('UPDATE events SET body = ?, hash = ? WHERE seq = 4')
        .run(forgedBody, Buffer.from(forgedHash, 'hex'));
    } finally {
      connection.close();
    }
    expect(reopenAndVerify()).toMatchObject({
      ok: false,
      events: 4,
      problem: { seq: 5, kind: 'hash_mismatch' },
    });
  });
});
