import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import {
  type AlertEpisodeDoc,
  alertEpisodesProjection,
  episodeKey,
} from '../../../gateway/projections/alertEpisodes.ts';
import { reactToLabResult } from '../../../gateway/rules/labCriticalValueReactor.ts';
import { decideLabAlert } from '../../../gateway/rules/labAlertDecisions.ts';
import { defaultLabRules } from '../../../gateway/rules/labCriticalValueRules.ts';
import type { LabValue } from '../../../gateway/rules/labResultJudgement.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { type EventEnvelope, eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'p-1';
const build = eventBuilder({ start: '2026-11-26T10:00:01.000Z', envelope: { source: 'lab-service' } });
const episodes = projectionFold(alertEpisodesProjection);

/** Patient p-1's lab alert episodes, and what one numeric result decides about them. */
const patientLabAlerts = deciderSpec({
  ...episodes,
  decide: (result: LabValue, open) =>
    decideLabAlert(result, defaultLabRules, (parameter) => open.get(episodeKey(patientId, parameter)), {
      at: build.nextAt(),
      plausible: true,
    }),
});

/**
 * The lab reactor over the open episodes; `asked` collects the episodes it
 * looks up ("subject|parameter").
 */
const labReactor = (asked: string[] = []) =>
  deciderSpec({
    ...episodes,
    decide: (result: ClinicalEvent, open) =>
      reactToLabResult(result, {
        rules: defaultLabRules,
        newId: uuidV7,
        openEpisode: (subjectId, parameter) => {
          asked.push(episodeKey(subjectId, parameter));
          return open.get(episodeKey(subjectId, parameter));
        },
      }),
  });

/** An analyzer's result; filed under the facility when no patient is given. */
const labResult = (result: JsonObject, envelope: EventEnvelope = {}) =>
  build.labResultAvailable({ deviceId: 'analyzer-1', ...result }, envelope);

const mmol = (testCode: string, value: number): LabValue => ({ testCode, value, unit: 'mmol/L' });

describe('lab critical values (Kost 1990 defaults)', () => {
  it('raises a high-priority alert for potassium above 6.2 mmol/L, and none at 5.0', () => {
    patientLabAlerts
      .given()
      .when(mmol('K', 6.9))
      .thenMatches({
        kind: 'raise',
        value: 6.9,
        breach: { band: { direction: 'high', threshold: 6.2, severity: 'critical' } },
      });
    patientLabAlerts.given().when(mmol('K', 5.0)).then({ kind: 'none' });
  });

  it('converts units: glucose 40 mg/dL is 2.22 mmol/L, critically low; haemoglobin 60 g/L is 6 g/dL', () => {
    patientLabAlerts
      .given()
      .when({ testCode: 'GLU', value: 40, unit: 'mg/dL' })
      .thenMatches({ kind: 'raise', value: 2.22, direction: 'low' });
    patientLabAlerts
      .given()
      .when({ testCode: '718-7', value: 60, unit: 'g/L' })
      .thenMatches({ kind: 'raise', value: 6 });
  });

  it('counts cells per microlitre: white cells 105,600 /uL ({cells}/uL) are 105.6 x 10^9/L, critically high', () => {
    for (const unit of ['/uL', '{cells}/uL', '/mm3'])
      patientLabAlerts
        .given()
        .when({ testCode: 'WBC', value: 105_600, unit })
        .thenMatches({ kind: 'raise', value: 105.6, direction: 'high' });
  });

  it('does not guess a unit it does not know', () => {
    patientLabAlerts
      .given()
      .when({ testCode: 'HGB', value: 3, unit: '1' })
      .then({ kind: 'none', reason: 'unit_unknown' });
  });

  it('raises once per episode for a patient, supersedes when worse, resolves back inside the limits', () => {
    const episode: AlertEpisodeDoc = {
      subjectId: 'p-1',
      parameter: 'potassium',
      alertId: 'a-1',
      severity: 'critical',
      direction: 'high',
      measuredAt: '2026-11-26T10:00:00.000Z',
    };
    const open = patientLabAlerts.given(openingAlert(build, episode));
    open.when(mmol('K', 7.0)).then({ kind: 'none' });
    open.when(mmol('K', 2.1)).thenMatches({ kind: 'raise', supersedes: episode });
    open.when(mmol('K', 4.1)).thenMatches({ kind: 'resolve' });
  });

  it('turns a critical result into a critical_value_detected the catalogue accepts, caused by the result', () => {
    const result = labResult({ testCode: 'K', value: 7.1, unit: 'mmol/L' }, { patientId: 'p-1' });
    const alert = labReactor().given().when(result).thenOnlyOne();
    expect(alert).toMatchObject({
      eventType: 'critical_value_detected',
      patientId: 'p-1',
      causationId: result.eventId,
      data: {
        parameter: 'potassium',
        value: 7.1,
        unit: 'mmol/L',
        priority: 'high',
        ruleId: 'kost1990-potassium',
        deviceId: 'analyzer-1',
      },
    });
    const verdict = validateDraft(alert);
    expect(verdict.ok ? [] : verdict.issues).toEqual([]);
  });

  it('alerts on every critical result filed under the facility: they may be different patients', () => {
    const asked: string[] = [];
    const open = labReactor(asked).given(
      openingAlert(build, {
        subjectId: 'device:analyzer-1',
        parameter: 'potassium',
        alertId: 'a-1',
        severity: 'critical',
        direction: 'high',
        measuredAt: '2026-11-26T10:00:00.000Z',
      }),
    );
    expect(open.when(labResult({ testCode: 'K', value: 7.1, unit: 'mmol/L' })).outcome).toHaveLength(1);
    open.when(labResult({ testCode: 'K', value: 'haemolysed' })).then([]);
    // A result from many patients is never weighed against an open episode, whichever.
    expect(asked).toEqual([]);
  });
});
