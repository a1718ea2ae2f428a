import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import {
  type AlertEpisodeDoc,
  alertEpisodesProjection,
  episodeKey,
} from '../../../gateway/projections/alertEpisodes.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-1';
const ingest = { patientId, source: 'device-integration-service' };

function episodesAfter(events: ClinicalEvent[]): Map<string, AlertEpisodeDoc> {
  return projectInMemory([alertEpisodesProjection], events).get('alertEpisodes')! as Map<
    string,
    AlertEpisodeDoc
  >;
}

const build = eventBuilder({ start: '2025-03-06T01:00:00.000Z' });

function detected(
  alertId: string,
  parameter: string,
  severity: 'critical' | 'warning',
  direction: 'low' | 'high',
  extra = {},
) {
  return build.event(
    'critical_value_detected',
    {
      alertId,
      parameter,
      value: 1,
      threshold: 1,
      direction,
      severity,
      priority: severity === 'critical' ? 'high' : 'medium',
      ruleId: 'rule',
      detectedAt: build.nextAt(),
      ...extra,
    },
    ingest,
  );
}

function resolved(alertId: string, parameter: string) {
  return build.event(
    'alert_resolved',
    { alertId, parameter, reason: 'returned_to_range', resolvedAt: build.nextAt() },
    ingest,
  );
}

describe('an alert episode', () => {
  it('opens on critical_value_detected, keyed by subject and parameter', () => {
    const episodes = episodesAfter([detected('alert-1', 'oxygenSaturation', 'warning', 'low')]);
    expect([...episodes.keys()]).toEqual([episodeKey(patientId, 'oxygenSaturation')]);
    expect(episodes.get('patient-1|oxygenSaturation')).toEqual({
      subjectId: patientId,
      parameter: 'oxygenSaturation',
      alertId: 'alert-1',
      severity: 'warning',
      direction: 'low',
    });
  });

  it('follows the superseding alert when the value worsens', () => {
    const episodes = episodesAfter([
      detected('alert-1', 'oxygenSaturation', 'warning', 'low'),
      detected('alert-2', 'oxygenSaturation', 'critical', 'low', { supersedesAlertId: 'alert-1' }),
    ]);
    expect(episodes.get('patient-1|oxygenSaturation')).toMatchObject({
      alertId: 'alert-2',
      severity: 'critical',
    });
  });

  it('closes when its own alert resolves', () => {
    const episodes = episodesAfter([
      detected('alert-1', 'heartRate', 'critical', 'high'),
      resolved('alert-1', 'heartRate'),
    ]);
    expect(episodes.size).toBe(0);
  });

  it('stays open when an older, superseded alert of the same parameter resolves', () => {
    const episodes = episodesAfter([
      detected('alert-1', 'oxygenSaturation', 'warning', 'low'),
      detected('alert-2', 'oxygenSaturation', 'critical', 'low', { supersedesAlertId: 'alert-1' }),
      resolved('alert-1', 'oxygenSaturation'),
    ]);
    expect(episodes.get('patient-1|oxygenSaturation')?.alertId).toBe('alert-2');
  });

  it('is separate per parameter: closing one leaves the other open', () => {
    const episodes = episodesAfter([
      detected('alert-1', 'oxygenSaturation', 'critical', 'low'),
      detected('alert-2', 'heartRate', 'warning', 'high'),
      resolved('alert-1', 'oxygenSaturation'),
    ]);
    expect([...episodes.keys()]).toEqual(['patient-1|heartRate']);
  });

  it('is kept under the device for a device bound to no patient', () => {
    const unbound = build.event(
      'critical_value_detected',
      {
        alertId: 'alert-9',
        parameter: 'oxygenSaturation',
        value: 85,
        threshold: 91,
        direction: 'low',
        severity: 'critical',
        priority: 'high',
        ruleId: 'news2-spo2-scale1',
        deviceId: 'monitor-5',
        detectedAt: build.nextAt(),
      },
      { source: 'device-integration-service' },
    );
    expect([...episodesAfter([unbound]).keys()]).toEqual(['device:monitor-5|oxygenSaturation']);
  });
});
