import { type CriticalFlag, criticalFlagMeaning } from '../../kernel/clinical/analyzerFlags.ts';

/**
 * The escalation SMS, Arabic then English (pure). It names the bed, what is
 * wrong, the value, the time and a short reference to the alert, and never
 * the patient's name or national ID: an SMS passes through the network
 * operator and stays on a phone that may be lost.
 */
export interface SmsAlert {
  alertId: string;
  parameter: string;
  /** Absent for a text result (valueText). */
  value?: number;
  valueText?: string;
  unit?: string;
  /** Absent for an AA flag. */
  direction?: 'low' | 'high';
  /** The analyzer's critical flag, for an alert a lab result raised. */
  flag?: CriticalFlag;
  bed?: string;
  detectedAt: string;
}

const parameterNames: Record<string, { ar: string; en: string }> = {
  oxygenSaturation: { ar: 'تشبع الأكسجين', en: 'SpO2' },
  heartRate: { ar: 'نبض القلب', en: 'Heart rate' },
  respiratoryRate: { ar: 'معدل التنفس', en: 'Resp. rate' },
  systolicBloodPressure: { ar: 'الضغط الانقباضي', en: 'Systolic BP' },
  diastolicBloodPressure: { ar: 'الضغط الانبساطي', en: 'Diastolic BP' },
  temperature: { ar: 'الحرارة', en: 'Temperature' },
};

const units: Record<string, string> = { '%': '%', '/min': '/min', 'mm[Hg]': 'mmHg', Cel: '°C' };

/** The alert's short reference: the last 6 hex digits of its id, as the ward board shows it. */
export function alertShortCode(alertId: string): string {
  return alertId.replace(/-/g, '').slice(-6).toUpperCase();
}

export function escalationSmsText(alert: SmsAlert, level: number, utcOffsetMinutes: number): string {
  const name = parameterNames[alert.parameter] ?? { ar: alert.parameter, en: alert.parameter };
  const unit = alert.unit ? ` ${units[alert.unit] ?? alert.unit}` : '';
  const reading = `${alert.value ?? alert.valueText ?? ''}${alert.value !== undefined ? unit : ''}`;
  const local = new Date(Date.parse(alert.detectedAt) + utcOffsetMinutes * 60_000);
  const time = local.toISOString().slice(11, 16);
  const code = alertShortCode(alert.alertId);
  const bedAr = alert.bed ? ` سرير ${alert.bed} -` : '';
  const bedEn = alert.bed ? ` Bed ${alert.bed} -` : '';
  const why = whyOf(alert);
  const arabic = `NileCare: تنبيه لم يُستجب له (مستوى ${level}) -${bedAr} ${name.ar} ${reading} ${why.ar} - ${time} - رمز ${code}`;
  const english = `NileCare: unacknowledged alert (level ${level}) -${bedEn} ${name.en} ${reading} ${why.en} - ${time} - ref ${code}`;
  return `${arabic}\n${english}`;
}

/** "high", or for an alert the analyzer's flag raised, the flag and its meaning: "HH (critically high)". */
function whyOf(alert: SmsAlert): { ar: string; en: string } {
  if (alert.flag) {
    const meaning = criticalFlagMeaning[alert.flag];
    return { ar: `${alert.flag} (${meaning.ar})`, en: `${alert.flag} (${meaning.en})` };
  }
  return { ar: alert.direction === 'low' ? 'منخفض' : 'مرتفع', en: alert.direction ?? 'high' };
}
