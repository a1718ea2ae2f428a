import { describe, it } from 'vitest';
import {
  type AlertEpisodeDoc,
  alertEpisodesProjection,
  episodeKey,
} from '../../../gateway/projections/alertEpisodes.ts';
import type { AlertReadingTime } from '../../../gateway/rules/alertReadingTime.ts';
import { decideLabAlert } from '../../../gateway/rules/labAlertDecisions.ts';
import { defaultLabRules } from '../../../gateway/rules/labCriticalValueRules.ts';
import type { LabValue } from '../../../gateway/rules/labResultJudgement.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'p-1';
const build = eventBuilder({ start: '2026-11-26T10:00:00.000Z', envelope: { source: 'lab-service' } });
const openedAt = '2026-11-26T10:00:00.000Z';
const later: AlertReadingTime = { at: '2026-11-26T11:00:00.000Z', plausible: true };

/** Patient p-1's lab alert episodes, and what one result, measured at `time`, decides. */
const labAlerts = deciderSpec({
  ...projectionFold(alertEpisodesProjection),
  decide: ({ result, time = later }: { result: LabValue; time?: AlertReadingTime }, open) =>
    decideLabAlert(result, defaultLabRules, (parameter) => open.get(episodeKey(patientId, parameter)), time),
});

const episode = (parameter: string, direction?: 'low' | 'high'): AlertEpisodeDoc => ({
  subjectId: patientId,
  parameter,
  alertId: 'a-1',
  severity: 'critical',
  ...(direction ? { direction } : {}),
  measuredAt: openedAt,
});
const whileOpen = (open: AlertEpisodeDoc) => labAlerts.given(openingAlert(build, open));

/** White cells counted per high-power field (urine microscopy's unit): a unit the white-cell rule does not know. */
const wbc = (value: number, flags?: string[]): LabValue => ({
  testCode: 'WBC',
  value,
  unit: '{cells}/[HPF]',
  ...(flags ? { flags } : {}),
});

describe('a result the analyzer flags critical (HL7 2.5.1 table 0078)', () => {
  it('raises on HH although no rule knows its unit, under the rule parameter of its test code', () => {
    labAlerts
      .given()
      .when({ result: wbc(105_600, ['HH']) })
      .then({
        kind: 'raise',
        parameter: 'whiteCells',
        flag: 'HH',
        direction: 'high',
        value: 105_600,
        unit: '{cells}/[HPF]',
      });
  });

  it('raises on LL, <, > and AA, each with its direction (AA has none)', () => {
    const raised = (flags: string[], value: number | string = 1) =>
      labAlerts.given().when({ result: { testCode: 'XYZ', value, unit: 'U', flags } });
    raised(['LL']).thenMatches({ kind: 'raise', parameter: 'XYZ', flag: 'LL', direction: 'low' });
    raised(['<']).thenMatches({ kind: 'raise', flag: '<', direction: 'low' });
    raised(['>', 'H']).thenMatches({ kind: 'raise', flag: '>', direction: 'high' });
    raised(['AA'], 'POSITIVE').then({
      kind: 'raise',
      parameter: 'XYZ',
      flag: 'AA',
      valueText: 'POSITIVE',
      unit: 'U',
    });
  });

  it('raises nothing on L, H or A: abnormal is not critical', () => {
    for (const flag of ['L', 'H', 'A'])
      labAlerts
        .given()
        .when({ result: { testCode: 'XYZ', value: 1, unit: 'U', flags: [flag] } })
        .then({ kind: 'none' });
  });

  it('keeps the rule in charge of the details when the rule also breaches: one raise, limit and flag', () => {
    labAlerts
      .given()
      .when({ result: { testCode: 'K', value: 7.1, unit: 'mmol/L', flags: ['HH'] } })
      .thenMatches({
        kind: 'raise',
        parameter: 'potassium',
        flag: 'HH',
        breach: { band: { threshold: 6.2, direction: 'high' } },
      });
  });

  it('raises when the analyzer flags HH a value inside the rule limits: the lab set its own limit', () => {
    labAlerts
      .given()
      .when({ result: { testCode: 'K', value: 6.0, unit: 'mmol/L', flags: ['HH'] } })
      .then({
        kind: 'raise',
        parameter: 'potassium',
        flag: 'HH',
        direction: 'high',
        value: 6,
        unit: 'mmol/L',
      });
  });
});

describe('an episode a flag opened', () => {
  it('does not raise again on a repeat HH', () => {
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(98_000, ['HH']) })
      .then({ kind: 'none' });
  });

  it('supersedes when the flag turns the other way', () => {
    const open = episode('whiteCells', 'high');
    whileOpen(open)
      .when({ result: wbc(300, ['LL']) })
      .thenMatches({ kind: 'raise', direction: 'low', supersedes: open });
  });

  it('resolves on a normal result: flag N, or no flag on a number no rule can judge', () => {
    const open = episode('whiteCells', 'high');
    whileOpen(open)
      .when({ result: wbc(7_400, ['N']) })
      .then({ kind: 'resolve', episode: open, value: 7_400 });
    const unknownTest = episode('XYZ', 'high');
    whileOpen(unknownTest)
      .when({ result: { testCode: 'XYZ', value: 3, unit: 'U' } })
      .then({ kind: 'resolve', episode: unknownTest, value: 3 });
  });

  it('stays open on H (abnormal, not yet normal) and on text without a flag', () => {
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(20_000, ['H']) })
      .then({ kind: 'none' });
    whileOpen(episode('MAL'))
      .when({ result: { testCode: 'MAL', value: 'see comment', unit: undefined } })
      .then({ kind: 'none', reason: 'text_without_flag' });
  });

  it('stays open on a number in a unit the rule does not know and no flag: nothing says it is normal', () => {
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(7_400) })
      .then({ kind: 'none', reason: 'unit_unknown' });
  });

  it('resolves a text result flagged AA once a later one is flagged N', () => {
    const open = episode('MAL');
    whileOpen(open)
      .when({ result: { testCode: 'MAL', value: 'NEGATIVE', unit: undefined, flags: ['N'] } })
      .then({ kind: 'resolve', episode: open });
  });
});

describe('lab results and measurement time', () => {
  it('a result observed before the one that opened the episode changes nothing, normal or worse', () => {
    const before: AlertReadingTime = { at: '2026-11-26T09:00:00.000Z', plausible: true };
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(7_400, ['N']), time: before })
      .then({ kind: 'none', reason: 'older_than_episode' });
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(300, ['LL']), time: before })
      .then({ kind: 'none', reason: 'older_than_episode' });
  });

  it('a normal result from an analyzer whose clock is implausible never resolves', () => {
    whileOpen(episode('whiteCells', 'high'))
      .when({ result: wbc(7_400, ['N']), time: { ...later, plausible: false } })
      .then({ kind: 'none' });
  });

  it('a critical result from an analyzer whose clock is implausible still raises', () => {
    labAlerts
      .given()
      .when({ result: wbc(105_600, ['HH']), time: { ...later, plausible: false } })
      .thenMatches({ kind: 'raise', flag: 'HH' });
  });
});
