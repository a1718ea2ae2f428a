import { describe, expect, it } from 'vitest';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import {
  type EscalationPolicy,
  defaultEscalationPolicy,
  escalationsDue,
} from '../../../gateway/rules/escalationPolicy.ts';

const raisedAt = '2025-03-01T08:00:00.000Z';

const policy: EscalationPolicy = {
  highAfterSeconds: 120,
  mediumAfterSeconds: 300,
  repeatEverySeconds: 300,
  maxLevel: 3,
};

function alert(overrides: Partial<AlertDoc> = {}): AlertDoc {
  return {
    alertId: 'alert-1',
    subjectId: 'patient-1',
    patientId: 'patient-1',
    parameter: 'oxygenSaturation',
    value: 86,
    unit: '%',
    threshold: 91,
    direction: 'low',
    severity: 'critical',
    priority: 'high',
    ruleId: 'news2-spo2-scale1',
    detectedAt: raisedAt,
    raisedAt,
    status: 'active',
    escalationLevel: 0,
    ...overrides,
  };
}

/** An injected clock the test moves by hand. */
function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advanceSeconds(seconds: number) {
      now += seconds * 1000;
    },
  };
}

/** The levels due after `seconds` without acknowledgement. */
function dueAfter(seconds: number, alerts: AlertDoc[] = [alert()]) {
  const clock = manualClock(raisedAt);
  clock.advanceSeconds(seconds);
  return escalationsDue(clock.now(), alerts, policy);
}

describe('an unacknowledged high-priority alert', () => {
  it('does not escalate before the wait is over', () => {
    expect(dueAfter(0)).toEqual([]);
    expect(dueAfter(119.999)).toEqual([]);
  });

  it('goes to level 1 when the wait is over', () => {
    const [due, ...rest] = dueAfter(120);
    expect(rest).toEqual([]);
    expect(due).toMatchObject({ level: 1, unacknowledgedSeconds: 120, alert: { alertId: 'alert-1' } });
  });

  it('is not escalated to level 1 twice', () => {
    expect(dueAfter(121, [alert({ escalationLevel: 1 })])).toEqual([]);
    expect(dueAfter(419, [alert({ escalationLevel: 1 })])).toEqual([]);
  });

  it('goes to level 2 after one repeat interval more', () => {
    expect(dueAfter(420, [alert({ escalationLevel: 1 })]).map((due) => due.level)).toEqual([2]);
  });

  it('stops at the maximum level however long nobody answers', () => {
    expect(dueAfter(10 * 3600).map((due) => due.level)).toEqual([3]);
    expect(dueAfter(10 * 3600, [alert({ escalationLevel: 3 })])).toEqual([]);
  });

  it('jumps straight to the level due when checks were missed (gateway was off)', () => {
    expect(dueAfter(725).map((due) => due.level)).toEqual([3]);
    expect(dueAfter(500).map((due) => due.level)).toEqual([2]);
  });

  it('steps up one level per check as an injected clock moves on', () => {
    const clock = manualClock(raisedAt);
    let doc = alert();
    const levels: number[] = [];
    for (let minute = 0; minute <= 20; minute += 1) {
      for (const due of escalationsDue(clock.now(), [doc], policy)) {
        levels.push(due.level);
        doc = { ...doc, escalationLevel: due.level };
      }
      clock.advanceSeconds(60);
    }
    expect(levels).toEqual([1, 2, 3]);
  });
});

describe('an alert someone responded to', () => {
  it('never escalates once acknowledged', () => {
    expect(dueAfter(3600, [alert({ status: 'acknowledged', acknowledgedAt: raisedAt })])).toEqual([]);
  });

  it('never escalates once resolved', () => {
    expect(
      dueAfter(3600, [alert({ status: 'resolved', resolvedAt: raisedAt, resolution: 'returned_to_range' })]),
    ).toEqual([]);
  });
});

describe('a medium-priority alert', () => {
  const medium = () => alert({ alertId: 'alert-medium', priority: 'medium', severity: 'warning' });

  it('waits for its own, longer, wait', () => {
    expect(dueAfter(120, [medium()])).toEqual([]);
    expect(dueAfter(299, [medium()])).toEqual([]);
    expect(dueAfter(300, [medium()]).map((due) => due.level)).toEqual([1]);
  });

  it('escalates later than a high-priority alert raised at the same moment', () => {
    const due = dueAfter(200, [alert(), medium()]);
    expect(due.map((entry) => entry.alert.alertId)).toEqual(['alert-1']);
  });
});

describe('the default escalation policy', () => {
  it('escalates high priority before medium priority', () => {
    expect(defaultEscalationPolicy.highAfterSeconds).toBeLessThan(defaultEscalationPolicy.mediumAfterSeconds);
    expect(defaultEscalationPolicy.maxLevel).toBeGreaterThanOrEqual(1);
  });
});
