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
  // The lab critical-value rules' parameters (gateway/rules/labCriticalValueRules.ts): their alerts share the bar.
  potassium: 'lab.parameter.potassium',
  sodium: 'lab.parameter.sodium',
  glucose: 'lab.parameter.glucose',
  haemoglobin: 'lab.parameter.haemoglobin',
  platelets: 'lab.parameter.platelets',
  whiteCells: 'lab.parameter.whiteCells',
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

/** Monitors' whole numbers (temperature to a tenth); lab values keep their decimals (potassium 2.6, not 3). */
const wholeNumbers = new Set([
  'oxygenSaturation',
  'heartRate',
  'respiratoryRate',
  'systolicBloodPressure',
  'diastolicBloodPressure',
]);

export function vitalValue(value: number, parameter: string): string {
  return fmt.number(value, wholeNumbers.has(parameter) ? 0 : parameter === 'temperature' ? 1 : 2);
}
