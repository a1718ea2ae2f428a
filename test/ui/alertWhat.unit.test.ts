import { describe, expect, it } from 'vitest';
import { alertWhat, type AlertWording } from '../../ui/src/alerts/alertWhat.ts';
import { translate } from '../../ui/src/i18n/i18n.ts';
import type { Alert } from '../../ui/src/model.ts';

const english: AlertWording = {
  value: (value) => String(value),
  label: (parameter) => parameter,
  unit: (unit) => unit ?? '',
  text: (key, params) => translate('en', key, params),
};
const arabic: AlertWording = {
  value: (value) => new Intl.NumberFormat('ar-SD').format(value),
  label: (parameter) => parameter,
  unit: (unit) => unit ?? '',
  text: (key, params) => translate('ar', key, params),
};
const sentence = (alert: Alert) => {
  const what = alertWhat(alert, english);
  return translate('en', what.key, what.params);
};

const raised = {
  alertId: 'a-1',
  subjectId: 'p-1',
  severity: 'critical',
  priority: 'high',
  detectedAt: '2026-11-26T08:00:00.000Z',
  raisedAt: '2026-11-26T08:00:00.000Z',
  status: 'active',
  escalationLevel: 0,
} as const;

describe('the sentence that says what is wrong', () => {
  it('names the value against the rule limit when a rule raised the alert', () => {
    const alert: Alert = {
      ...raised,
      parameter: 'potassium',
      value: 6.9,
      unit: 'mmol/L',
      threshold: 6.2,
      direction: 'high',
      ruleId: 'kost1990-potassium',
    };
    expect(sentence(alert)).toBe('potassium 6.9 mmol/L: high (limit 6.2)');
  });

  it('names the flag in words when the analyzer flag alone raised it', () => {
    const alert: Alert = {
      ...raised,
      parameter: 'WBC',
      value: 105600,
      unit: '{cells}/uL',
      direction: 'high',
      flag: 'HH',
      ruleId: 'analyzer-flag',
    };
    expect(sentence(alert)).toBe('WBC 105600 {cells}/uL: the analyzer flagged it HH, critically high');
  });

  it('gives a text result as written, with no limit and no "undefined"', () => {
    const alert: Alert = {
      ...raised,
      parameter: 'MALARIA',
      valueText: 'POSITIVE',
      flag: 'AA',
      ruleId: 'analyzer-flag',
    };
    expect(sentence(alert)).toBe('MALARIA POSITIVE: the analyzer flagged it AA, critically abnormal');
  });

  describe('a NEWS2 aggregate-score alert', () => {
    const news2Alert: Alert = {
      ...raised,
      parameter: 'news2',
      value: 7,
      threshold: 7,
      direction: 'high',
      ruleId: 'news2-aggregate',
      news2: {
        total: 7,
        band: 'high',
        spo2Scale: 1,
        trigger: 'total',
        scores: {
          respiratoryRate: 3,
          oxygenSaturation: 2,
          supplementalOxygen: 0,
          systolicBloodPressure: 0,
          heartRate: 1,
          consciousness: 0,
          temperature: 1,
        },
      },
    };

    it('gives the total and each parameter that scored, in the chart order, and the response it calls for', () => {
      expect(sentence(news2Alert)).toBe('NEWS2 7 (RR 3, SpO₂ 2, pulse 1, temp 1): emergency response');
    });

    it('says it in Arabic with Eastern Arabic digits', () => {
      const what = alertWhat({ ...news2Alert, severity: 'warning' }, arabic);
      expect(translate('ar', what.key, what.params)).toBe(
        'الإنذار المبكر NEWS2 ٧ (التنفس ٣، تشبع الأكسجين ٢، النبض ١، الحرارة ١): مراجعة سريرية عاجلة',
      );
    });
  });
});
