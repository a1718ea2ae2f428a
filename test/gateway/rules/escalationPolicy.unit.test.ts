import { describe, expect, it } from 'vitest';
import { alertsProjection } from '../../../gateway/projections/alerts.ts';
import {
  defaultEscalationPolicy,
  type EscalationDue,
  type EscalationPolicy,
  escalationsDue,
} from '../../../gateway/rules/escalationPolicy.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { eventBuilder, nurse } from '../../harness/handBuiltEvents.ts';

const raisedAt = '2025-03-01T08:00:00.000Z';

const policy: EscalationPolicy = {
  highAfterSeconds: 120,
  mediumAfterSeconds: 300,
  repeatEverySeconds: 300,
  maxLevel: 3,
};

/** The alerts as the alerts projection keeps them, and which are due at a moment (`when(afterSeconds(s))`). */
const escalation = deciderSpec({
  ...projectionFold(alertsProjection),
  decide: (now: Date, alerts) => escalationsDue(now, [...alerts.values()], policy),
});

/** Every event recorded when the alerts were raised: what counts is how long nobody acknowledged. */
const build = eventBuilder({ start: raisedAt, stepSeconds: 0, envelope: { patientId: 'patient-1' } });
const afterSeconds = (seconds: number) => new Date(Date.parse(raisedAt) + seconds * 1000);

/** A critical, high-priority alert for patient-1 (the catalogue's example: SpO2 88 %), raised at `raisedAt`. */
const raised = () =>
  build.criticalValueDetected(
    { alertId: 'alert-1', severity: 'critical', priority: 'high' },
    { source: 'device-integration-service' },
  );
const escalated = (level: number) => build.alertEscalated({ alertId: 'alert-1', level });
/** What the escalation timer appends for what is due. */
const recorded = (due: readonly EscalationDue[]) =>
  due.map(({ alert, level }) => build.alertEscalated({ alertId: alert.alertId, level }));

describe('an unacknowledged high-priority alert', () => {
  it('does not escalate before the wait is over', () => {
    escalation.given(raised()).when(afterSeconds(0)).then([]);
    escalation.given(raised()).when(afterSeconds(119.999)).then([]);
  });

  it('goes to level 1 when the wait is over', () => {
    escalation
      .given(raised())
      .when(afterSeconds(120))
      .thenMatches([{ level: 1, unacknowledgedSeconds: 120, alert: { alertId: 'alert-1' } }]);
  });

  it('is not escalated to level 1 twice', () => {
    escalation.given(raised(), escalated(1)).when(afterSeconds(121)).then([]);
    escalation.given(raised(), escalated(1)).when(afterSeconds(419)).then([]);
  });

  it('goes to level 2 after one repeat interval more', () => {
    escalation
      .given(raised(), escalated(1))
      .when(afterSeconds(420))
      .thenMatches([{ level: 2 }]);
  });

  it('stops at the maximum level however long nobody answers', () => {
    escalation
      .given(raised())
      .when(afterSeconds(10 * 3600))
      .thenMatches([{ level: 3 }]);
    escalation
      .given(raised(), escalated(3))
      .when(afterSeconds(10 * 3600))
      .then([]);
  });

  it('jumps straight to the level due when checks were missed (gateway was off)', () => {
    escalation
      .given(raised())
      .when(afterSeconds(725))
      .thenMatches([{ level: 3 }]);
    escalation
      .given(raised())
      .when(afterSeconds(500))
      .thenMatches([{ level: 2 }]);
  });

  it('steps up one level per check as an injected clock moves on', () => {
    const everyMinute = Array.from({ length: 21 }, (_, minute) => afterSeconds(minute * 60));
    const checks = escalation.given(raised()).whenEach(everyMinute, recorded).outcome;
    expect(checks.flat().map((due) => due.level)).toEqual([1, 2, 3]);
  });
});

describe('an alert someone responded to', () => {
  it('never escalates once acknowledged', () => {
    const acknowledged = build.alertAcknowledged({ alertId: 'alert-1' }, nurse);
    escalation.given(raised(), acknowledged).when(afterSeconds(3600)).then([]);
  });

  it('never escalates once resolved', () => {
    const resolved = build.alertResolved({ alertId: 'alert-1', reason: 'returned_to_range' });
    escalation.given(raised(), resolved).when(afterSeconds(3600)).then([]);
  });
});

describe('a medium-priority alert', () => {
  const medium = () =>
    build.criticalValueDetected({ alertId: 'alert-medium', severity: 'warning', priority: 'medium' });

  it('waits for its own, longer, wait', () => {
    escalation.given(medium()).when(afterSeconds(120)).then([]);
    escalation.given(medium()).when(afterSeconds(299)).then([]);
    escalation
      .given(medium())
      .when(afterSeconds(300))
      .thenMatches([{ level: 1 }]);
  });

  it('escalates later than a high-priority alert raised at the same moment', () => {
    escalation
      .given(raised(), medium())
      .when(afterSeconds(200))
      .thenMatches([{ alert: { alertId: 'alert-1' } }]);
  });
});

describe('the default escalation policy', () => {
  it('escalates high priority before medium priority', () => {
    expect(defaultEscalationPolicy.highAfterSeconds).toBeLessThan(defaultEscalationPolicy.mediumAfterSeconds);
    expect(defaultEscalationPolicy.maxLevel).toBeGreaterThanOrEqual(1);
  });
});
