import { describe, expect, it } from 'vitest';
import {
  type AcknowledgedFacts,
  acknowledgedNotStoredOnce,
  kafkaDeliveryProblems,
  type LoggedFacts,
  readModelDifferences,
  sagasLeftHalfway,
} from '../../../prove/crash/crashInvariants.ts';

const none = {
  mqtt: new Set<string>(),
  http: new Set<string>(),
  admission: new Set<string>(),
  astm: new Set<string>(),
  hl7: new Set<string>(),
};
const acknowledged = (facts: Partial<AcknowledgedFacts>): AcknowledgedFacts => ({ ...none, ...facts });
const logged = (facts: Partial<Record<keyof LoggedFacts, [string, number][]>>): LoggedFacts => ({
  mqtt: new Map(facts.mqtt ?? []),
  http: new Map(facts.http ?? []),
  admission: new Map(facts.admission ?? []),
  astm: new Map(facts.astm ?? []),
  hl7: new Map(facts.hl7 ?? []),
});

describe('acknowledged facts against the log', () => {
  it('finds nothing wrong when every acknowledged fact is stored once', () => {
    expect(
      acknowledgedNotStoredOnce(
        acknowledged({ mqtt: new Set(['m-1/vitals#1']), hl7: new Set(['PRV000001']) }),
        logged({
          mqtt: [
            ['m-1/vitals#1', 1],
            ['m-1/vitals#2', 1],
          ],
          hl7: [['PRV000001', 1]],
        }),
      ),
    ).toEqual([]);
  });

  it('reports a PUBACKed reading missing from the log', () => {
    expect(
      acknowledgedNotStoredOnce(
        acknowledged({ mqtt: new Set(['m-1/vitals#7']) }),
        logged({ mqtt: [['m-1/vitals#6', 1]] }),
      ),
    ).toEqual(['mqtt m-1/vitals#7 acknowledged but stored 0 times']);
  });

  it('reports an ACKed analyzer result stored twice, and a fact nobody was told of stored twice', () => {
    expect(
      acknowledgedNotStoredOnce(
        acknowledged({ astm: new Set(['PRV000003']) }),
        logged({ astm: [['PRV000003', 2]], http: [['0193-e', 2]] }),
      ),
    ).toEqual(['http 0193-e stored 2 times', 'astm PRV000003 acknowledged but stored 2 times']);
  });

  it('reports an answered admission whose saga never completed in the log', () => {
    expect(acknowledgedNotStoredOnce(acknowledged({ admission: new Set(['saga-1']) }), logged({}))).toEqual([
      'admission saga-1 acknowledged but stored 0 times',
    ]);
  });
});

describe('read models against a replay', () => {
  it('finds a document that differs, one missing and one only the replay built', () => {
    const kept = new Map([
      ['alerts/a1', '{"status":"active"}'],
      ['patients/p1', '{"status":"admitted"}'],
    ]);
    const replayed = new Map([
      ['alerts/a1', '{"status":"acknowledged"}'],
      ['beds/B1', '{"state":"free"}'],
    ]);
    expect(readModelDifferences(kept, replayed)).toEqual([
      'alerts/a1 differs from its replay in status (kept "active", replayed "acknowledged")',
      'patients/p1 kept but not rebuilt by a replay',
      'beds/B1 rebuilt by a replay but missing',
    ]);
    expect(readModelDifferences(kept, new Map(kept))).toEqual([]);
  });
});

describe('admission sagas after a settled restart', () => {
  it('names a saga neither completed nor compensated', () => {
    const sagas = {
      started: new Set(['s1', 's2', 's3']),
      completed: new Set(['s1']),
      failed: new Set(['s3']),
    };
    expect(sagasLeftHalfway(sagas)).toEqual(['admission saga s2 neither completed nor compensated']);
  });
});

describe('what Kafka holds at the end', () => {
  const log = new Set(['e1', 'e2', 'e3']);
  it('accepts every event once, or again within what the kills allow', () => {
    const copies = new Map([
      ['e1', 1],
      ['e2', 2],
      ['e3', 1],
    ]);
    expect(kafkaDeliveryProblems(log, { copies, outOfOrder: [] }, 1)).toEqual([]);
  });

  it('reports a missing event, a foreign one, too many duplicates and disorder', () => {
    const copies = new Map([
      ['e1', 3],
      ['e2', 1],
      ['x9', 1],
    ]);
    expect(kafkaDeliveryProblems(log, { copies, outOfOrder: ['t|k|vitals: seq 4 after 5'] }, 1)).toEqual([
      '1 events of the log are not on Kafka',
      '1 events on Kafka are not in the log (x9)',
      '2 duplicate records on Kafka, more than the 1 the kills allow',
      'out of order on Kafka: t|k|vitals: seq 4 after 5',
    ]);
  });
});
