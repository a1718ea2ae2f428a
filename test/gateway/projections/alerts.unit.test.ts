import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { type AlertDoc, alertsProjection } from '../../../gateway/projections/alerts.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder, nurse } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-omer';
const readingId = '01900000-0000-7000-8000-00000000abcd';

function alertsAfter(events: ClinicalEvent[]): Map<string, AlertDoc> {
  return projectInMemory([alertsProjection], events).get('alerts')! as Map<string, AlertDoc>;
}

function scenario() {
  const build = eventBuilder({ start: '2025-03-05T14:00:00.000Z' });
  const detected = (alertId: string, extra: JsonObject = {}) =>
    build.event(
      'critical_value_detected',
      {
        alertId,
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
        detectedAt: build.nextAt(),
        ...extra,
      },
      { patientId, source: 'device-integration-service', causationId: readingId },
    );
  return { build, detected };
}

describe('critical_value_detected', () => {
  it('raises an active alert at escalation level 0 with what, where and why', () => {
    const { detected } = scenario();
    const raised = detected('alert-1');
    expect(alertsAfter([raised]).get('alert-1')).toEqual({
      alertId: 'alert-1',
      subjectId: patientId,
      patientId,
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
    const events = [
      detected('alert-1'),
      build.event('alert_acknowledged', { alertId: 'alert-1', acknowledgedAt }, { patientId, ...nurse }),
    ];
    expect(alertsAfter(events).get('alert-1')).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt,
      acknowledgedBy: { userId: 'nurse-7', userName: 'Sr. Hawa Adam', userRole: 'nurse' },
    });
  });

  it('does not reopen or re-stamp an alert already acknowledged', () => {
    const { build, detected } = scenario();
    const first = build.event(
      'alert_acknowledged',
      { alertId: 'alert-1', acknowledgedAt: '2025-03-05T14:01:00.000Z' },
      { patientId, ...nurse },
    );
    const second = build.event(
      'alert_acknowledged',
      { alertId: 'alert-1', acknowledgedAt: '2025-03-05T14:09:00.000Z' },
      { patientId, userId: 'dr-2', userName: 'Dr. Sara', userRole: 'physician' },
    );
    const doc = alertsAfter([detected('alert-1'), first, second]).get('alert-1')!;
    expect(doc.acknowledgedAt).toBe('2025-03-05T14:01:00.000Z');
    expect(doc.acknowledgedBy?.userId).toBe('nurse-7');
  });
});

describe('alert_escalated', () => {
  it('raises the level and records when, never lowering it', () => {
    const { build, detected } = scenario();
    const escalated = (level: number) =>
      build.event(
        'alert_escalated',
        {
          alertId: 'alert-1',
          level,
          reason: 'not_acknowledged',
          unacknowledgedSeconds: 300 * level,
          escalatedAt: build.nextAt(),
        },
        { patientId },
      );
    const two = escalated(2);
    const events = [detected('alert-1'), escalated(1), two, escalated(1)];
    const doc = alertsAfter(events).get('alert-1')!;
    expect(doc.escalationLevel).toBe(2);
    expect(doc.status).toBe('active');
    expect(doc.lastEscalatedAt).toBe(events[3]!.recordedAt);
    expect(two.seq).toBeLessThan(events[3]!.seq);
  });
});

describe('alert_resolved', () => {
  it('resolves the alert with the reason and time', () => {
    const { build, detected } = scenario();
    const resolvedAt = '2025-03-05T14:20:00.000Z';
    const events = [
      detected('alert-1'),
      build.event(
        'alert_resolved',
        {
          alertId: 'alert-1',
          parameter: 'oxygenSaturation',
          reason: 'returned_to_range',
          value: 96,
          resolvedAt,
        },
        { patientId, source: 'device-integration-service' },
      ),
    ];
    expect(alertsAfter(events).get('alert-1')).toMatchObject({
      status: 'resolved',
      resolvedAt,
      resolution: 'returned_to_range',
    });
  });

  it('does not overwrite how an alert already resolved ended', () => {
    const { build, detected } = scenario();
    const events = [
      detected('alert-1'),
      build.event(
        'alert_resolved',
        {
          alertId: 'alert-1',
          parameter: 'oxygenSaturation',
          reason: 'closed_by_user',
          resolvedAt: '2025-03-05T14:10:00.000Z',
        },
        { patientId, ...nurse },
      ),
      build.event(
        'alert_resolved',
        {
          alertId: 'alert-1',
          parameter: 'oxygenSaturation',
          reason: 'returned_to_range',
          resolvedAt: '2025-03-05T14:30:00.000Z',
        },
        { patientId },
      ),
    ];
    expect(alertsAfter(events).get('alert-1')).toMatchObject({
      resolution: 'closed_by_user',
      resolvedAt: '2025-03-05T14:10:00.000Z',
    });
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
    const alerts = alertsAfter([warning, critical]);
    expect(alerts.get('alert-1')).toMatchObject({
      status: 'resolved',
      resolution: 'superseded',
      supersededBy: 'alert-2',
      resolvedAt: critical.recordedAt,
    });
    const fresh = alerts.get('alert-2')!;
    expect(fresh).toMatchObject({
      status: 'active',
      severity: 'critical',
      priority: 'high',
      value: 88,
      escalationLevel: 0,
    });
    expect(fresh).not.toHaveProperty('supersedesAlertId');
  });
});

describe('alert events for an alert that was never raised', () => {
  it('leave no document behind', () => {
    const { build } = scenario();
    const stray = build.event(
      'alert_acknowledged',
      { alertId: 'alert-404', acknowledgedAt: build.nextAt() },
      { patientId, ...nurse },
    );
    expect(alertsAfter([stray]).size).toBe(0);
  });
});
