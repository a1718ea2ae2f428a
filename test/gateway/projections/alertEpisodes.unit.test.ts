import { describe, expect, it } from 'vitest';
import { alertEpisodesProjection, episodeKey } from '../../../gateway/projections/alertEpisodes.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-1';
const build = eventBuilder({
  start: '2025-03-06T01:00:00.000Z',
  envelope: { patientId, source: 'device-integration-service' },
});
const episodes = projectionSpec(alertEpisodesProjection);

const warningLow = { severity: 'warning', priority: 'medium', direction: 'low' } as const;
const criticalLow = { severity: 'critical', priority: 'high', direction: 'low' } as const;
const spo2 = { parameter: 'oxygenSaturation' } as const;

/** An SpO2 warning (alert-1), then a critical alert-2 that supersedes it. */
const worsening = () => [
  build.criticalValueDetected({ alertId: 'alert-1', ...spo2, ...warningLow }),
  build.criticalValueDetected({ alertId: 'alert-2', ...spo2, ...criticalLow, supersedesAlertId: 'alert-1' }),
];

describe('an alert episode', () => {
  it('opens on critical_value_detected, keyed by subject and parameter, at the measurement time', () => {
    const opened = episodes.given(
      build.criticalValueDetected({
        alertId: 'alert-1',
        ...spo2,
        ...warningLow,
        measuredAt: '2025-03-06T00:59:30.000Z',
      }),
    );
    opened.thenDocIds([episodeKey(patientId, 'oxygenSaturation')]);
    opened.thenDoc('patient-1|oxygenSaturation', {
      subjectId: patientId,
      parameter: 'oxygenSaturation',
      alertId: 'alert-1',
      severity: 'warning',
      direction: 'low',
      measuredAt: '2025-03-06T00:59:30.000Z',
    });
  });

  it('takes the detection time for an alert of version 1, which names no measurement time', () => {
    const alert = build.criticalValueDetected({ alertId: 'alert-1', ...spo2, ...warningLow });
    expect(alert.data).not.toHaveProperty('measuredAt');
    episodes
      .given(alert)
      .thenDocMatches('patient-1|oxygenSaturation', { measuredAt: alert.data.detectedAt as string });
  });

  it('opened by an AA flag, has no direction', () => {
    const opened = episodes
      .given(
        build.criticalValueDetected({
          alertId: 'alert-1',
          parameter: 'MALARIA',
          valueText: 'POSITIVE',
          flag: 'AA',
          severity: 'critical',
          priority: 'high',
          ruleId: 'analyzer-flag',
        }),
      )
      .doc('patient-1|MALARIA');
    expect(opened).not.toHaveProperty('direction');
  });

  it('follows the superseding alert when the value worsens', () => {
    episodes
      .given(worsening())
      .thenDocMatches('patient-1|oxygenSaturation', { alertId: 'alert-2', severity: 'critical' });
  });

  it('closes when its own alert resolves', () => {
    episodes
      .given(
        build.criticalValueDetected({
          alertId: 'alert-1',
          parameter: 'heartRate',
          severity: 'critical',
          direction: 'high',
        }),
        build.alertResolved({ alertId: 'alert-1', parameter: 'heartRate' }),
      )
      .then({});
  });

  it('stays open when an older, superseded alert of the same parameter resolves', () => {
    episodes
      .given(worsening(), build.alertResolved({ alertId: 'alert-1', ...spo2 }))
      .thenDocMatches('patient-1|oxygenSaturation', { alertId: 'alert-2' });
  });

  it('is separate per parameter: closing one leaves the other open', () => {
    episodes
      .given(
        build.criticalValueDetected({ alertId: 'alert-1', ...spo2, ...criticalLow }),
        build.criticalValueDetected({
          alertId: 'alert-2',
          parameter: 'heartRate',
          severity: 'warning',
          priority: 'medium',
          direction: 'high',
        }),
        build.alertResolved({ alertId: 'alert-1', ...spo2 }),
      )
      .thenDocIds(['patient-1|heartRate']);
  });

  it('is kept under the device for a device bound to no patient', () => {
    const unbound = build.criticalValueDetected(
      {
        alertId: 'alert-9',
        ...spo2,
        value: 85,
        threshold: 91,
        ruleId: 'news2-spo2-scale1',
        deviceId: 'monitor-5',
      },
      { patientId: undefined },
    );
    episodes.given(unbound).thenDocIds(['device:monitor-5|oxygenSaturation']);
  });
});
