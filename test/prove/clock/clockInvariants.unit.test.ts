import { describe, expect, it } from 'vitest';
import {
  expectedResolutionViolations,
  hubClockViolations,
  type LoggedFact,
  logClockViolations,
} from '../../../prove/clock/clockInvariants.ts';

const floor = '2020-01-01T00:00:00.000Z';
const now = '2026-12-07T20:00:00.000Z';

function reading(seq: number, deviceSeq: number, measuredAt: string, implausible = false): LoggedFact {
  return {
    seq,
    eventId: `r-${seq}`,
    eventType: 'vital_signs_recorded',
    recordedAt: now,
    data: { deviceId: 'mon-1', deviceSeq, measuredAt },
    ...(implausible ? { metadata: { deviceClockImplausible: { reason: 'before_floor' } } } : {}),
  };
}
const raised = (seq: number, by: number): LoggedFact => ({
  seq,
  eventId: `a-${seq}`,
  eventType: 'critical_value_detected',
  recordedAt: now,
  causationId: `r-${by}`,
  data: { alertId: 'alert-1' },
});
const resolved = (seq: number, by: number): LoggedFact => ({
  seq,
  eventId: `x-${seq}`,
  eventType: 'alert_resolved',
  recordedAt: now,
  causationId: `r-${by}`,
  data: { alertId: 'alert-1', reason: 'returned_to_range' },
});

/** Critical reading, a 1970 reading in range (flagged), a true one in range that resolves. */
const healthyLog = [
  reading(1, 1, now),
  raised(2, 1),
  reading(3, 2, '1970-01-01T00:00:05.000Z', true),
  reading(4, 3, now),
  resolved(5, 4),
];

describe('the log under a jumping clock', () => {
  it('finds nothing wrong in a gapless log where only a plausible later reading resolves', () => {
    expect(logClockViolations(healthyLog, floor, 1)).toEqual([]);
    expect(
      expectedResolutionViolations(healthyLog, 'mon-1', [{ raisedBySeq: 1, resolvedBySeq: 3 }], 1),
    ).toEqual([]);
  });

  it('reports a gap in seq', () => {
    const log = healthyLog.filter((fact) => fact.seq !== 3);
    expect(logClockViolations(log, floor, 1).map((v) => v.guarantee)).toEqual(['seq is gapless from 1']);
  });

  it('reports a 1970 reading the gateway did not flag', () => {
    const log = healthyLog.map((fact) => (fact.seq === 3 ? reading(3, 2, '1970-01-01T00:00:05.000Z') : fact));
    expect(logClockViolations(log, floor, 1).map((v) => v.guarantee)).toEqual([
      'a reading from a reset device clock is flagged implausible',
    ]);
  });

  it('reports an alert resolved by a reading with an implausible clock', () => {
    const log = [...healthyLog.slice(0, 3), { ...resolved(4, 3), seq: 4 }];
    const found = logClockViolations(log, floor, 1).map((v) => v.guarantee);
    expect(found).toContain('a reading with an implausible clock never resolves an alert');
  });

  it('reports an alert resolved by a reading the device took before the one that raised it', () => {
    const log = [reading(1, 5, now), reading(2, 4, now), raised(3, 1), resolved(4, 2)];
    expect(logClockViolations(log, floor, 1).map((v) => v.guarantee)).toEqual([
      'an alert is resolved only by a reading taken after the one that opened it',
    ]);
  });

  it('reports an expected resolution that never came', () => {
    const log = healthyLog.slice(0, 4);
    expect(expectedResolutionViolations(log, 'mon-1', [{ raisedBySeq: 1, resolvedBySeq: 3 }], 2)).toEqual([
      {
        round: 2,
        guarantee: 'a critical reading raises an alert and the next plausible reading in range resolves it',
        detail: 'mon-1 seq 1: resolved by nothing',
      },
    ]);
  });
});

describe("the hub's clock figures", () => {
  const jumps = { furthestBehindMs: 3_600_000, furthestAheadMs: 86_400_000, backwardJumps: 2 };

  it('agree when they show an hour behind, a day ahead and each jump back', () => {
    expect(
      hubClockViolations(
        { offsetMinMs: -86_399_000, offsetMaxMs: 3_601_500, clockResets: 2 },
        jumps,
        60_000,
        3,
      ),
    ).toEqual([]);
  });

  it('are reported when they missed a jump', () => {
    const found = hubClockViolations(
      { offsetMinMs: -200, offsetMaxMs: 3_601_500, clockResets: 1 },
      jumps,
      60_000,
      3,
    );
    expect(found.map((v) => v.detail)).toEqual([
      'smallest offset -200 ms, the gateway was 86400000 ms ahead',
      '1 clock resets counted for 2 jumps back',
    ]);
  });
});
