/**
 * The escalation SMS, Arabic then English (pure). It names the bed, what is
 * wrong, the value, the time and a short reference to the alert, and never
 * the patient's name or national ID: an SMS passes through the network
 * operator and stays on a phone that may be lost.
 */
export interface SmsAlert {
  alertId: string;
  parameter: string;
  value: number;
  unit?: string;
  direction: 'low' | 'high';
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
  const local = new Date(Date.parse(alert.detectedAt) + utcOffsetMinutes * 60_000);
  const time = local.toISOString().slice(11, 16);
  const code = alertShortCode(alert.alertId);
  const bedAr = alert.bed ? ` سرير ${alert.bed} -` : '';
  const bedEn = alert.bed ? ` Bed ${alert.bed} -` : '';
  const arabic = `NileCare: تنبيه لم يُستجب له (مستوى ${level}) -${bedAr} ${name.ar} ${alert.value}${unit} ${
    alert.direction === 'low' ? 'منخفض' : 'مرتفع'
  } - ${time} - رمز ${code}`;
  const english = `NileCare: unacknowledged alert (level ${level}) -${bedEn} ${name.en} ${alert.value}${unit} ${alert.direction} - ${time} - ref ${code}`;
  return `${arabic}\n${english}`;
}
