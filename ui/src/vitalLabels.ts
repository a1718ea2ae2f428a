import type { MessageKey } from './i18n/i18n.ts';
import { fmt, t } from './i18n/locale.ts';

/** Short label of each vital sign, as monitors print it. */
export const vitalLabelKey: Record<string, MessageKey> = {
  oxygenSaturation: 'vital.oxygenSaturation',
  heartRate: 'vital.heartRate',
  respiratoryRate: 'vital.respiratoryRate',
  systolicBloodPressure: 'vital.systolicBloodPressure',
  diastolicBloodPressure: 'vital.diastolicBloodPressure',
  temperature: 'vital.temperature',
};

/** UCUM units as the gateway stores them (events/schemas/vitals.ts), as a nurse reads them. */
const unitKey: Record<string, MessageKey> = {
  '%': 'unit.percent',
  '/min': 'unit.perMinute',
  'mm[Hg]': 'unit.mmHg',
  Cel: 'unit.celsius',
};

export function vitalLabel(parameter: string): string {
  const key = vitalLabelKey[parameter];
  return key ? t(key) : parameter;
}

export function unitLabel(unit: string | undefined): string {
  if (!unit) return '';
  const key = unitKey[unit];
  return key ? t(key) : unit;
}

export function vitalValue(value: number, parameter: string): string {
  return fmt.number(value, parameter === 'temperature' ? 1 : 0);
}
