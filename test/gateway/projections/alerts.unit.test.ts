import { describe, expect, it } from 'vitest';
import { alertsProjection } from '../../../gateway/projections/alerts.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder, nurse } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-omer';
const readingId = '01900000-0000-7000-8000-00000000abcd';
const alerts = projectionSpec(alertsProjection);

/** SpO2 92 % on monitor-4 in bed A-4: a NEWS2 warning, medium priority. */
const spo2Warning = {
  parameter: 'oxygenSaturation',
  value: 92,
  unit: '%',
  threshold: 93,
  direction: 'low',
  severity: 'warning',
  priority: 'medium',
  ruleId: 'news2-spo2-scale1',
  deviceId: 'monitor-4',
  bed: 'A-4',
} as const;

function scenario() {
  const build = eventBuilder({ start: '2025-03-05T14:00:00.000Z', envelope: { patientId } });
  const detected = (alertId: string, changes = {}) =>
    build.criticalValueDetected(
      { alertId, ...spo2Warning, ...changes },
      { source: 'device-integration-service', causationId: readingId },
    );
  return { build, detected };
}

describe('critical_value_detected', () => {
  it('raises an active alert at escalation level 0 with what, where and why', () => {
    const { detected } = scenario();
    const raised = detected('alert-1');
    alerts.given(raised).thenDoc('alert-1', {
      alertId: 'alert-1',
      subjectId: patientId,
      patientId,
      // What was detected, where: the value, threshold, rule, device and bed, as detected.
      ...spo2Warning,
      causationId: readingId,
      detectedAt: raised.recordedAt,
      raisedAt: raised.recordedAt,
      status: 'active',
      escalationLevel: 0,
    });
  });
});

describe('alert_acknowledged', () => {
  it('records who acknowledged and when', () => {
    const { build, detected } = scenario();
    const acknowledgedAt = '2025-03-05T14:01:30.000Z';
    alerts
      .given(detected('alert-1'), build.alertAcknowledged({ alertId: 'alert-1', acknowledgedAt }, nurse))
      .thenDocMatches('alert-1', {
        status: 'acknowledged',
        acknowledgedAt,
        acknowledgedBy: { userId: 'nurse-7', userName: 'Sr. Hawa Adam', userRole: 'nurse' },
      });
  });

  it('does not reopen or re-stamp an alert already acknowledged', () => {
    const { build, detected } = scenario();
    const first = build.alertAcknowledged(
      { alertId: 'alert-1', acknowledgedAt: '2025-03-05T14:01:00.000Z' },
      nurse,
    );
    const second = build.alertAcknowledged(
      { alertId: 'alert-1', acknowledgedAt: '2025-03-05T14:09:00.000Z' },
      { userId: 'dr-2', userName: 'Dr. Sara', userRole: 'physician' },
    );
    const doc = alerts.given(detected('alert-1'), first, second).doc('alert-1');
    expect(doc.acknowledgedAt).toBe('2025-03-05T14:01:00.000Z');
    expect(doc.acknowledgedBy?.userId).toBe('nurse-7');
  });
});

describe('alert_escalated', () => {
  it('raises the level and records when, never lowering it', () => {
    const { build, detected } = scenario();
    const escalated = (level: number) =>
      build.alertEscalated({ alertId: 'alert-1', level, unacknowledgedSeconds: 300 * level });
    const two = escalated(2);
    const events = [detected('alert-1'), escalated(1), two, escalated(1)];
    alerts.given(events).thenDocMatches('alert-1', {
      escalationLevel: 2,
      status: 'active',
      lastEscalatedAt: events[3]!.recordedAt,
    });
    expect(two.seq).toBeLessThan(events[3]!.seq);
  });
});

describe('alert_resolved', () => {
  it('resolves the alert with the reason and time', () => {
    const { build, detected } = scenario();
    const resolvedAt = '2025-03-05T14:20:00.000Z';
    alerts
      .given(
        detected('alert-1'),
        build.alertResolved(
          {
            alertId: 'alert-1',
            parameter: 'oxygenSaturation',
            reason: 'returned_to_range',
            value: 96,
            resolvedAt,
          },
          { source: 'device-integration-service' },
        ),
      )
      .thenDocMatches('alert-1', { status: 'resolved', resolvedAt, resolution: 'returned_to_range' });
  });

  it('does not overwrite how an alert already resolved ended', () => {
    const { build, detected } = scenario();
    alerts
      .given(
        detected('alert-1'),
        build.alertResolved(
          { alertId: 'alert-1', reason: 'closed_by_user', resolvedAt: '2025-03-05T14:10:00.000Z' },
          nurse,
        ),
        build.alertResolved({ alertId: 'alert-1', resolvedAt: '2025-03-05T14:30:00.000Z' }),
      )
      .thenDocMatches('alert-1', { resolution: 'closed_by_user', resolvedAt: '2025-03-05T14:10:00.000Z' });
  });
});

describe('a worsening that supersedes an alert', () => {
  it('resolves the old alert as superseded by the new one, which is active', () => {
    const { detected } = scenario();
    const warning = detected('alert-1');
    const critical = detected('alert-2', {
      value: 88,
      threshold: 91,
      severity: 'critical',
      priority: 'high',
      supersedesAlertId: 'alert-1',
    });
    const superseded = alerts.given(warning, critical);
    superseded.thenDocMatches('alert-1', {
      status: 'resolved',
      resolution: 'superseded',
      supersededBy: 'alert-2',
      resolvedAt: critical.recordedAt,
    });
    superseded.thenDocMatches('alert-2', {
      status: 'active',
      severity: 'critical',
      priority: 'high',
      value: 88,
      escalationLevel: 0,
    });
    expect(superseded.doc('alert-2')).not.toHaveProperty('supersedesAlertId');
  });
});

describe('alert events for an alert that was never raised', () => {
  it('leave no document behind', () => {
    const { build } = scenario();
    alerts.given(build.alertAcknowledged({ alertId: 'alert-404' }, nurse)).then({});
  });
});
