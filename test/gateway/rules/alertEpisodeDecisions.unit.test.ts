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
import type { AlertReadingTime } from '../../../gateway/rules/alertReadingTime.ts';
import { news2DefaultRules, type ParameterRule } from '../../../kernel/clinical/criticalValueRules.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-1';
const build = eventBuilder({ envelope: { patientId, source: 'device-integration-service' } });

/** Episodes open at 08:00; readings come at 09:00 unless a test says otherwise. */
const openedAt = '2025-03-01T08:00:00.000Z';
const later: AlertReadingTime = { at: '2025-03-01T09:00:00.000Z', plausible: true };

interface Reading {
  values: readonly ReadingValue[];
  time: AlertReadingTime;
}
const reading = (values: readonly ReadingValue[], time = later): Reading => ({ values, time });

/** The patient's open episodes as the alertEpisodes projection keeps them, and what a reading decides. */
const alertsBy = (rules: readonly ParameterRule[] = news2DefaultRules) =>
  deciderSpec({
    ...projectionFold(alertEpisodesProjection),
    decide: ({ values, time }: Reading, episodes) =>
      decideAlerts(values, rules, (parameter) => episodes.get(episodeKey(patientId, parameter)), time),
  });
const news2 = alertsBy();

function episode(
  parameter: string,
  severity: 'critical' | 'warning',
  direction: 'low' | 'high',
  alertId = 'alert-open',
): AlertEpisodeDoc {
  return { subjectId: patientId, parameter, alertId, severity, direction, measuredAt: openedAt };
}

/** The decider given the alert that opened `open`. */
const whileOpen = (open: AlertEpisodeDoc) => news2.given(openingAlert(build, open));

const spo2 = (value: number, time = later) => reading([{ parameter: 'oxygenSaturation', value }], time);
const pulse = (value: number, time = later) => reading([{ parameter: 'heartRate', value }], time);

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
    const steps = news2.given().whenEach(
      [97, 89, 88, 86, 90, 91].map((value) => spo2(value)),
      recorded,
    ).outcome;
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
    const steps = news2.given().whenEach(
      [89, 92, 94, 95, 97].map((value) => spo2(value)),
      recorded,
    ).outcome;
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
      .when(reading([{ parameter: 'systolicBloodPressure', value: 95 }]))
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
      .when(
        reading([
          { parameter: 'temperature', value: 34 },
          { parameter: 'bloodGlucose', value: 1 },
        ]),
      )
      .then([]);
  });

  it('do not stop the parameters that have one from being decided', () => {
    const decisions = news2.given().when(
      reading([
        { parameter: 'bloodGlucose', value: 1 },
        { parameter: 'oxygenSaturation', value: 85 },
        { parameter: 'heartRate', value: 140 },
      ]),
    ).outcome;
    expect(
      decisions.map((decision) => (decision.kind === 'raise' ? decision.rule.parameter : 'resolve')),
    ).toEqual(['oxygenSaturation', 'heartRate']);
  });
});

describe('readings measured before the episode (docs/architecture.md#alerts-follow-flags-and-measurement-time)', () => {
  const pulseOpen = () => episode('heartRate', 'critical', 'low');
  const measured = (at: string, plausible = true): AlertReadingTime => ({ at, plausible });

  it('a back-dated normal heart rate does not resolve the bradycardia alert a newer reading opened', () => {
    whileOpen(pulseOpen())
      .when(pulse(80, measured('2001-01-01T00:00:00.000Z')))
      .then([]);
    whileOpen(pulseOpen())
      .when(pulse(80, measured('2025-03-01T07:59:59.000Z')))
      .then([]);
  });

  it('a back-dated worse reading neither supersedes nor raises again', () => {
    whileOpen(episode('oxygenSaturation', 'warning', 'low'))
      .when(spo2(80, measured('2025-03-01T07:00:00.000Z')))
      .then([]);
  });

  it('a reading measured at the same instant as the episode may resolve it', () => {
    const open = pulseOpen();
    whileOpen(open)
      .when(pulse(80, measured(openedAt)))
      .then([{ kind: 'resolve', episode: open, value: 80 }]);
  });

  it('a reading whose device clock is implausible never resolves, though it is newer', () => {
    whileOpen(pulseOpen())
      .when(pulse(80, measured('2025-03-01T09:00:00.000Z', false)))
      .then([]);
  });

  it('a critical reading with an implausible clock still raises: critical now is critical', () => {
    news2
      .given()
      .when(pulse(30, measured('2025-03-01T09:00:00.000Z', false)))
      .thenMatches([{ kind: 'raise', value: 30, band: { direction: 'low', severity: 'critical' } }]);
  });
});
