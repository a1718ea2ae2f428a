import { describe, expect, it } from 'vitest';
import { type News2Observations, news2Score, type Spo2Scale } from '../../../kernel/clinical/news2.ts';
import { news2AggregateRule, news2AlertParameter } from '../../../kernel/clinical/news2AggregateRule.ts';
import {
  type AlertEpisodeDoc,
  alertEpisodesProjection,
  episodeKey,
} from '../../../gateway/projections/alertEpisodes.ts';
import type { AlertReadingTime } from '../../../gateway/rules/alertReadingTime.ts';
import { decideNews2Alert } from '../../../gateway/rules/news2AlertDecisions.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-1';
const build = eventBuilder({ envelope: { patientId, source: 'device-integration-service' } });
const openedAt = '2025-03-01T08:00:00.000Z';
const later: AlertReadingTime = { at: '2025-03-01T09:00:00.000Z', plausible: true };

/** A complete set that scores 0: RR 16, SpO2 97 on air, BP 120, pulse 70, alert, 37.0 °C. */
const well: Required<News2Observations> = {
  respiratoryRate: 16,
  oxygenSaturation: 97,
  supplementalOxygen: false,
  systolicBloodPressure: 120,
  heartRate: 70,
  consciousness: 'A',
  temperature: 37,
};

interface Reading {
  observations: News2Observations;
  time: AlertReadingTime;
  scale: Spo2Scale;
}
const reading = (changes: News2Observations, time = later, scale: Spo2Scale = 1): Reading => ({
  observations: { ...well, ...changes },
  time,
  scale,
});

const news2Alerts = deciderSpec({
  ...projectionFold(alertEpisodesProjection),
  decide: ({ observations, time, scale }: Reading, episodes) =>
    decideNews2Alert(
      news2Score(observations, scale),
      episodes.get(episodeKey(patientId, news2AlertParameter)),
      time,
      news2AggregateRule,
    ),
});

const episode = (severity: 'critical' | 'warning', alertId = 'alert-news2'): AlertEpisodeDoc => ({
  subjectId: patientId,
  parameter: news2AlertParameter,
  alertId,
  severity,
  measuredAt: openedAt,
});
const whileOpen = (severity: 'critical' | 'warning') =>
  news2Alerts.given(openingAlert(build, episode(severity)));

/** RR 22 (2) + SpO2 94 (1) + pulse 95 (1) + temperature 38.5 (1) = 5. */
const five: News2Observations = {
  respiratoryRate: 22,
  oxygenSaturation: 94,
  heartRate: 95,
  temperature: 38.5,
};
/** RR 25 (3) + SpO2 93 (2) + pulse 95 (1) + temperature 38.5 (1) = 7. */
const seven: News2Observations = {
  respiratoryRate: 25,
  oxygenSaturation: 93,
  heartRate: 95,
  temperature: 38.5,
};

describe('the NEWS2 aggregate-score rule with no episode open', () => {
  it('raises an urgent review (warning, on the total) at a total of 5', () => {
    news2Alerts
      .given()
      .when(reading(five))
      .thenMatches({
        kind: 'raise',
        level: { severity: 'warning', trigger: 'total', threshold: 5 },
        score: { total: 5, band: 'medium' },
      });
  });

  it('raises nothing at a total of 4 with no parameter scoring 3', () => {
    news2Alerts
      .given()
      .when(reading({ respiratoryRate: 22, oxygenSaturation: 94, heartRate: 95 }))
      .then(undefined);
  });

  it('raises an urgent review for a single parameter scoring 3, whatever the total, with no threshold', () => {
    const decision = news2Alerts.given().when(reading({ consciousness: 'V' })).outcome;
    expect(decision).toMatchObject({ kind: 'raise', score: { total: 3, band: 'lowMedium' } });
    expect(decision?.kind === 'raise' && decision.level).toEqual({
      severity: 'warning',
      trigger: 'singleParameter',
    });
  });

  it('raises an emergency (critical) at a total of 7', () => {
    news2Alerts
      .given()
      .when(reading(seven))
      .thenMatches({
        kind: 'raise',
        level: { severity: 'critical', trigger: 'total', threshold: 7 },
        score: { total: 7, band: 'high' },
      });
  });

  it('raises nothing from an incomplete set, however high its known part scores', () => {
    const { consciousness: _c, ...withoutConsciousness } = { ...well, ...seven };
    news2Alerts.given().when({ observations: withoutConsciousness, time: later, scale: 1 }).then(undefined);
  });

  it("scores SpO2 on the patient's scale: 88 % on air raises nothing on scale 2 and an emergency-level 3 on scale 1", () => {
    news2Alerts
      .given()
      .when(reading({ oxygenSaturation: 88 }, later, 2))
      .then(undefined);
    news2Alerts
      .given()
      .when(reading({ oxygenSaturation: 88 }, later, 1))
      .thenMatches({ kind: 'raise', level: { trigger: 'singleParameter' } });
  });
});

describe('the NEWS2 aggregate-score rule while an episode is open', () => {
  it('raises nothing more while an urgent score stays urgent', () => {
    whileOpen('warning').when(reading(five)).then(undefined);
  });

  it('raises an emergency that supersedes the urgent alert when the total reaches 7', () => {
    whileOpen('warning')
      .when(reading(seven))
      .thenMatches({
        kind: 'raise',
        level: { severity: 'critical' },
        supersedes: { alertId: 'alert-news2' },
      });
  });

  it('keeps the emergency open when the total falls back to 5: an episode is never downgraded', () => {
    whileOpen('critical').when(reading(five)).then(undefined);
  });

  it('resolves when a complete score falls to 3 with no single 3', () => {
    whileOpen('critical')
      .when(reading({ respiratoryRate: 22, heartRate: 95 }))
      .thenMatches({ kind: 'resolve', episode: { alertId: 'alert-news2' }, score: { total: 3 } });
  });

  it('stays open at a total of 4: the hysteresis keeps a score hovering at 4-5 from flapping', () => {
    whileOpen('warning')
      .when(reading({ respiratoryRate: 22, oxygenSaturation: 94, heartRate: 95 }))
      .then(undefined);
  });

  it('stays open at a total of 3 made of a single 3', () => {
    whileOpen('warning')
      .when(reading({ respiratoryRate: 25 }))
      .then(undefined);
  });

  it('does not resolve from an incomplete set, even one that scores 0', () => {
    const { temperature: _t, ...withoutTemperature } = well;
    whileOpen('warning').when({ observations: withoutTemperature, time: later, scale: 1 }).then(undefined);
  });

  it('does not let a reading measured before the episode opened resolve it', () => {
    whileOpen('critical')
      .when(reading({}, { at: '2025-03-01T07:59:00.000Z', plausible: true }))
      .then(undefined);
  });

  it('does not let a reading measured before the episode opened worsen it either', () => {
    whileOpen('warning')
      .when(reading(seven, { at: '2025-03-01T07:59:00.000Z', plausible: true }))
      .then(undefined);
  });

  it('does not resolve on a reading whose device clock is implausible', () => {
    whileOpen('warning')
      .when(reading({}, { at: later.at, plausible: false }))
      .then(undefined);
  });

  it("resolves the episode's current alert once, then raises afresh on the next breach", () => {
    news2Alerts
      .given(openingAlert(build, episode('warning')))
      .whenEach([reading({}), reading(five)], (decision) =>
        decision?.kind === 'resolve'
          ? [build.alertResolved({ alertId: decision.episode.alertId, parameter: news2AlertParameter })]
          : [],
      )
      .thenMatches([{ kind: 'resolve' }, { kind: 'raise', level: { severity: 'warning' } }]);
  });
});
