import { describe, expect, it } from 'vitest';
import {
  type AlertEpisodeDoc,
  alertEpisodesProjection,
  episodeKey,
} from '../../../gateway/projections/alertEpisodes.ts';
import {
  type AlertDecision,
  decideAlerts,
  type ReadingValue,
} from '../../../gateway/rules/alertEpisodeDecisions.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { news2DefaultRules, type ParameterRule } from '../../../kernel/clinical/criticalValueRules.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-1';
const build = eventBuilder({ envelope: { patientId, source: 'device-integration-service' } });

/** The patient's open episodes as the alertEpisodes projection keeps them, and what a reading decides. */
const alertsBy = (rules: readonly ParameterRule[] = news2DefaultRules) =>
  deciderSpec({
    ...projectionFold(alertEpisodesProjection),
    decide: (values: readonly ReadingValue[], episodes) =>
      decideAlerts(values, rules, (parameter) => episodes.get(episodeKey(patientId, parameter))),
  });
const news2 = alertsBy();

function episode(
  parameter: string,
  severity: 'critical' | 'warning',
  direction: 'low' | 'high',
  alertId = 'alert-open',
): AlertEpisodeDoc {
  return { subjectId: patientId, parameter, alertId, severity, direction };
}

/** The decider given the alert that opened `open`. */
const whileOpen = (open: AlertEpisodeDoc) => news2.given(openingAlert(build, open));

const spo2 = (value: number) => [{ parameter: 'oxygenSaturation', value }];
const pulse = (value: number) => [{ parameter: 'heartRate', value }];

/** What the gateway appends for each decision: a raise opens (or replaces) the episode, a resolve closes it. */
let alertCount = 0;
const recorded = (decisions: readonly AlertDecision[]): ClinicalEvent[] =>
  decisions.map((decision) =>
    decision.kind === 'raise'
      ? openingAlert(
          build,
          episode(
            decision.rule.parameter,
            decision.band.severity,
            decision.band.direction,
            `alert-${++alertCount}`,
          ),
        )
      : build.alertResolved({ alertId: decision.episode.alertId, parameter: decision.episode.parameter }),
  );

describe('SpO2 below 92 %', () => {
  it('raises one critical alert and none while it stays low', () => {
    const steps = news2.given().whenEach([97, 89, 88, 86, 90, 91].map(spo2), recorded).outcome;
    expect(steps.flat()).toHaveLength(1);
    const [raise] = steps[1]!;
    expect(raise).toMatchObject({
      kind: 'raise',
      value: 89,
      band: { severity: 'critical', direction: 'low', threshold: 91 },
    });
    expect(raise).not.toHaveProperty('supersedes');
  });

  it('raises nothing for a normal reading with no open episode', () => {
    news2.given().when(spo2(96)).then([]);
  });
});

describe('a worsening episode', () => {
  it('raises a critical alert that supersedes the open warning', () => {
    const open = episode('oxygenSaturation', 'warning', 'low');
    whileOpen(open)
      .when(spo2(89))
      .thenMatches([{ kind: 'raise', band: { severity: 'critical' }, supersedes: open }]);
  });

  it('raises nothing more while the value stays at the same severity', () => {
    whileOpen(episode('oxygenSaturation', 'warning', 'low'))
      .when(spo2(93))
      .then([]);
    whileOpen(episode('oxygenSaturation', 'critical', 'low'))
      .when(spo2(85))
      .then([]);
  });
});

describe('an improving episode', () => {
  it('does not resolve a critical alert when the value only improves to warning', () => {
    whileOpen(episode('oxygenSaturation', 'critical', 'low'))
      .when(spo2(92))
      .then([]);
    whileOpen(episode('heartRate', 'critical', 'high'))
      .when(pulse(120))
      .then([]);
  });

  it('does not resolve while the value is back in range but inside the hysteresis', () => {
    // SpO2: mildest low threshold 93 % plus 1 % hysteresis.
    whileOpen(episode('oxygenSaturation', 'critical', 'low'))
      .when(spo2(94))
      .then([]);
    // Pulse: mildest high threshold 111 /min minus 5.
    whileOpen(episode('heartRate', 'warning', 'high'))
      .when(pulse(106))
      .then([]);
  });

  it('resolves the open alert once the value is past the hysteresis', () => {
    const open = episode('oxygenSaturation', 'critical', 'low');
    whileOpen(open)
      .when(spo2(95))
      .then([{ kind: 'resolve', episode: open, value: 95 }]);
    const pulseOpen = episode('heartRate', 'warning', 'high');
    whileOpen(pulseOpen)
      .when(pulse(105))
      .then([{ kind: 'resolve', episode: pulseOpen, value: 105 }]);
  });

  it('goes raise, nothing, nothing, resolve over a desaturation that recovers slowly', () => {
    const steps = news2.given().whenEach([89, 92, 94, 95, 97].map(spo2), recorded).outcome;
    expect(steps.map((decisions) => decisions.map((decision) => decision.kind))).toEqual([
      ['raise'],
      [],
      [],
      ['resolve'],
      [],
    ]);
  });
});

describe('a value that flips direction', () => {
  it('raises a high alert that supersedes the open low one', () => {
    const open = episode('heartRate', 'critical', 'low');
    whileOpen(open)
      .when(pulse(135))
      .thenMatches([
        {
          kind: 'raise',
          band: { direction: 'high', severity: 'critical', threshold: 131 },
          supersedes: open,
        },
      ]);
  });

  it('supersedes even when the new direction is less severe', () => {
    const open = episode('systolicBloodPressure', 'critical', 'high');
    whileOpen(open)
      .when([{ parameter: 'systolicBloodPressure', value: 95 }])
      .thenMatches([
        {
          kind: 'raise',
          band: { direction: 'low', severity: 'warning' },
          supersedes: open,
        },
      ]);
  });
});

describe('parameters without a rule', () => {
  it('are ignored, whatever their value', () => {
    const onlySpo2 = news2DefaultRules.filter((rule) => rule.parameter === 'oxygenSaturation');
    alertsBy(onlySpo2)
      .given()
      .when([
        { parameter: 'temperature', value: 34 },
        { parameter: 'bloodGlucose', value: 1 },
      ])
      .then([]);
  });

  it('do not stop the parameters that have one from being decided', () => {
    const decisions = news2.given().when([
      { parameter: 'bloodGlucose', value: 1 },
      { parameter: 'oxygenSaturation', value: 85 },
      { parameter: 'heartRate', value: 140 },
    ]).outcome;
    expect(
      decisions.map((decision) => (decision.kind === 'raise' ? decision.rule.parameter : 'resolve')),
    ).toEqual(['oxygenSaturation', 'heartRate']);
  });
});
