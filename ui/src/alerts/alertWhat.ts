import { news2Parameters } from '../../../kernel/clinical/news2.ts';
import type { MessageKey, MessageParams } from '../i18n/i18n.ts';
import type { Alert } from '../model.ts';

/** How the screen writes values, names and units, in the nurse's language. */
export interface AlertWording {
  value(value: number, parameter: string): string;
  label(parameter: string): string;
  unit(unit: string | undefined): string;
  text(key: MessageKey, params?: MessageParams): string;
}

const flagKey: Record<NonNullable<Alert['flag']>, MessageKey> = {
  HH: 'alert.flag.criticallyHigh',
  LL: 'alert.flag.criticallyLow',
  '>': 'alert.flag.aboveRange',
  '<': 'alert.flag.belowRange',
  AA: 'alert.flag.criticallyAbnormal',
};

/**
 * What is wrong, in one sentence (pure): the value against the rule's limit,
 * or, for an alert the analyzer's flag raised, the value and the flag in
 * words ("WBC 105600 {cells}/uL: the analyzer flagged it HH, critically high").
 */
export function alertWhat(alert: Alert, wording: AlertWording): { key: MessageKey; params: MessageParams } {
  if (alert.news2) return news2What(alert.news2, alert.severity, wording);
  const parameter = wording.label(alert.parameter);
  if (alert.threshold !== undefined && alert.value !== undefined)
    return {
      key: alert.direction === 'low' ? 'alert.valueLow' : 'alert.valueHigh',
      params: {
        parameter,
        value: wording.value(alert.value, alert.parameter),
        unit: wording.unit(alert.unit),
        threshold: wording.value(alert.threshold, alert.parameter),
      },
    };
  const reading =
    alert.value !== undefined
      ? [wording.value(alert.value, alert.parameter), wording.unit(alert.unit)].filter(Boolean).join(' ')
      : (alert.valueText ?? '');
  const flag = alert.flag ?? 'AA';
  return { key: 'alert.flagged', params: { parameter, reading, flag, meaning: wording.text(flagKey[flag]) } };
}

/**
 * A NEWS2 aggregate-score alert: the total and each parameter that scored, in
 * the chart's order, and the response the score calls for
 * ("NEWS2 7 (RR 3, SpO₂ 2, pulse 1, temp 1): emergency response";
 * docs/critical-values.md#news2-aggregate-score).
 */
function news2What(
  news2: NonNullable<Alert['news2']>,
  severity: Alert['severity'],
  wording: AlertWording,
): { key: MessageKey; params: MessageParams } {
  const parts = news2Parameters
    .filter((name) => news2.scores[name] > 0)
    .map((name) => `${wording.text(`news2.short.${name}`)} ${wording.value(news2.scores[name], 'news2')}`);
  return {
    key: 'alert.news2',
    params: {
      total: wording.value(news2.total, 'news2'),
      parts: parts.join(wording.text('alert.news2.separator')),
      response: wording.text(severity === 'critical' ? 'alert.news2.emergency' : 'alert.news2.urgent'),
    },
  };
}
