import { describe, expect, it } from 'vitest';
import type { VitalParameter } from '../../../kernel/events/schemas/vitals.ts';
import {
  hasRecovered,
  isWorse,
  news2DefaultRules,
  type ParameterRule,
  worstBreach,
} from '../../../kernel/clinical/criticalValueRules.ts';

function ruleFor(parameter: VitalParameter): ParameterRule {
  const rule = news2DefaultRules.find((candidate) => candidate.parameter === parameter);
  if (!rule) throw new Error(`no default rule for ${parameter}`);
  return rule;
}

type Expected =
  | { severity: 'critical' | 'warning'; direction: 'low' | 'high'; threshold: number }
  | undefined;

const critical = (direction: 'low' | 'high', threshold: number): Expected => ({
  severity: 'critical',
  direction,
  threshold,
});
const warning = (direction: 'low' | 'high', threshold: number): Expected => ({
  severity: 'warning',
  direction,
  threshold,
});

/**
 * NEWS2 chart 1 (RCP 2017): a single-parameter score of 3 is `critical`, a
 * score of 2 is `warning`, scores 0 and 1 raise nothing. Each threshold is
 * checked on both sides.
 */
const bands: [string, VitalParameter, number, Expected][] = [
  ['SpO2 91 % (score 3)', 'oxygenSaturation', 91, critical('low', 91)],
  ['SpO2 92 % (score 2)', 'oxygenSaturation', 92, warning('low', 93)],
  ['SpO2 93 % (score 2)', 'oxygenSaturation', 93, warning('low', 93)],
  ['SpO2 94 % (score 1)', 'oxygenSaturation', 94, undefined],
  ['SpO2 70 %', 'oxygenSaturation', 70, critical('low', 91)],
  ['systolic 90 mmHg (score 3)', 'systolicBloodPressure', 90, critical('low', 90)],
  ['systolic 91 mmHg (score 2)', 'systolicBloodPressure', 91, warning('low', 100)],
  ['systolic 100 mmHg (score 2)', 'systolicBloodPressure', 100, warning('low', 100)],
  ['systolic 101 mmHg (score 1)', 'systolicBloodPressure', 101, undefined],
  ['systolic 219 mmHg (score 0)', 'systolicBloodPressure', 219, undefined],
  ['systolic 220 mmHg (score 3)', 'systolicBloodPressure', 220, critical('high', 220)],
  ['pulse 40 /min (score 3)', 'heartRate', 40, critical('low', 40)],
  ['pulse 41 /min (score 1)', 'heartRate', 41, undefined],
  ['pulse 110 /min (score 1)', 'heartRate', 110, undefined],
  ['pulse 111 /min (score 2)', 'heartRate', 111, warning('high', 111)],
  ['pulse 130 /min (score 2)', 'heartRate', 130, warning('high', 111)],
  ['pulse 131 /min (score 3)', 'heartRate', 131, critical('high', 131)],
  ['respiratory rate 8 /min (score 3)', 'respiratoryRate', 8, critical('low', 8)],
  ['respiratory rate 9 /min (score 1)', 'respiratoryRate', 9, undefined],
  ['respiratory rate 20 /min (score 0)', 'respiratoryRate', 20, undefined],
  ['respiratory rate 21 /min (score 2)', 'respiratoryRate', 21, warning('high', 21)],
  ['respiratory rate 24 /min (score 2)', 'respiratoryRate', 24, warning('high', 21)],
  ['respiratory rate 25 /min (score 3)', 'respiratoryRate', 25, critical('high', 25)],
  ['temperature 35.0 °C (score 3)', 'temperature', 35.0, critical('low', 35.0)],
  ['temperature 35.1 °C (score 1)', 'temperature', 35.1, undefined],
  ['temperature 39.0 °C (score 1)', 'temperature', 39.0, undefined],
  ['temperature 39.1 °C (score 2)', 'temperature', 39.1, warning('high', 39.1)],
  ['diastolic 120 mmHg', 'diastolicBloodPressure', 120, undefined],
  ['diastolic 121 mmHg (hypertensive crisis)', 'diastolicBloodPressure', 121, critical('high', 121)],
];

describe('NEWS2 default rules', () => {
  it.each(bands)('classify %s', (_label, parameter, value, expected) => {
    const band = worstBreach(ruleFor(parameter), value);
    if (expected === undefined) expect(band).toBeUndefined();
    else expect(band).toEqual(expected);
  });

  it('cover every vital parameter the gateway records, once each', () => {
    const parameters = news2DefaultRules.map((rule) => rule.parameter).sort();
    expect(parameters).toEqual(
      [
        'diastolicBloodPressure',
        'heartRate',
        'oxygenSaturation',
        'respiratoryRate',
        'systolicBloodPressure',
        'temperature',
      ].sort(),
    );
    expect(new Set(news2DefaultRules.map((rule) => rule.ruleId)).size).toBe(news2DefaultRules.length);
  });
});

describe('the worst breach of a value', () => {
  it('is the critical band even when a warning band is listed first', () => {
    const rule: ParameterRule = {
      ruleId: 'custom-spo2',
      parameter: 'oxygenSaturation',
      hysteresis: 1,
      bands: [
        { direction: 'low', threshold: 93, severity: 'warning' },
        { direction: 'low', threshold: 91, severity: 'critical' },
      ],
    };
    expect(worstBreach(rule, 88)?.severity).toBe('critical');
    expect(worstBreach(rule, 92)?.severity).toBe('warning');
  });

  it('ranks critical above warning and not the other way round', () => {
    expect(isWorse('critical', 'warning')).toBe(true);
    expect(isWorse('warning', 'critical')).toBe(false);
    expect(isWorse('critical', 'critical')).toBe(false);
  });
});

describe('recovery with hysteresis', () => {
  it('needs SpO2 above 93 % by more than 1 % before a low alert resolves', () => {
    const spo2 = ruleFor('oxygenSaturation');
    expect(hasRecovered(spo2, 'low', 93)).toBe(false);
    expect(hasRecovered(spo2, 'low', 94)).toBe(false);
    expect(hasRecovered(spo2, 'low', 95)).toBe(true);
  });

  it('needs a pulse below 111 /min by more than 5 before a high alert resolves', () => {
    const pulse = ruleFor('heartRate');
    expect(hasRecovered(pulse, 'high', 110)).toBe(false);
    expect(hasRecovered(pulse, 'high', 106)).toBe(false);
    expect(hasRecovered(pulse, 'high', 105)).toBe(true);
  });

  it('needs a pulse above 40 /min by more than 5 before a low alert resolves', () => {
    const pulse = ruleFor('heartRate');
    expect(hasRecovered(pulse, 'low', 45)).toBe(false);
    expect(hasRecovered(pulse, 'low', 46)).toBe(true);
  });

  it('measures temperature hysteresis in tenths of a degree without float error', () => {
    const temperature = ruleFor('temperature');
    expect(hasRecovered(temperature, 'high', 38.9)).toBe(false);
    expect(hasRecovered(temperature, 'high', 38.8)).toBe(true);
    expect(hasRecovered(temperature, 'low', 35.2)).toBe(false);
    expect(hasRecovered(temperature, 'low', 35.3)).toBe(true);
  });

  it('treats a direction with no band of its own as recovered', () => {
    expect(hasRecovered(ruleFor('diastolicBloodPressure'), 'low', 60)).toBe(true);
  });
});
