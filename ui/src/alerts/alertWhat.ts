import type { MessageKey, MessageParams } from '../i18n/i18n.ts';
import type { Alert } from '../model.ts';

/** How the screen writes values, names and units, in the nurse's language. */
export interface AlertWording {
  value(value: number, parameter: string): string;
  label(parameter: string): string;
  unit(unit: string | undefined): string;
  text(key: MessageKey): string;
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
