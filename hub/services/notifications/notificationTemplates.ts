import { criticalFlagMeaning } from '../../../kernel/clinical/analyzerFlags.ts';
import type { NotificationFacts } from './notificationPlan.ts';

export type Language = 'ar' | 'en';

export interface RenderedMessage {
  subject: string;
  body: string;
}

const directionWord = { en: { low: 'low', high: 'high' }, ar: { low: 'منخفضة', high: 'مرتفعة' } } as const;

/** "2026-11-27 10:00 UTC": a time every recipient reads the same way, whatever their locale. */
function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '';
}

function place(facts: NotificationFacts, language: Language): string {
  const parts: string[] = [];
  if (facts.ward) parts.push(language === 'ar' ? `الجناح ${facts.ward}` : `ward ${facts.ward}`);
  if (facts.bed) parts.push(language === 'ar' ? `السرير ${facts.bed}` : `bed ${facts.bed}`);
  return parts.join(language === 'ar' ? '، ' : ', ');
}

/**
 * Why the value is critical: past the rule's limit ("Critical low value ...
 * (threshold 2.8)"), or flagged by the analyzer ("Flagged HH (critically
 * high) by the analyzer"), with no limit to show.
 */
function criticalWhy(
  facts: NotificationFacts,
  language: Language,
): { ar: string; en: string; limit: string } {
  if (facts.threshold === undefined && facts.flag) {
    const meaning = criticalFlagMeaning[facts.flag];
    return {
      ar: `علّمها جهاز التحليل ${facts.flag} (${meaning.ar})`,
      en: `Flagged ${facts.flag} (${meaning.en}) by the analyzer`,
      limit: '',
    };
  }
  const direction = facts.direction ?? 'high';
  return {
    ar: `قيمة حرجة ${directionWord.ar[direction]}`,
    en: `Critical ${directionWord.en[direction]} value`,
    limit: language === 'ar' ? ` (الحد ${facts.threshold})` : ` (threshold ${facts.threshold})`,
  };
}

/**
 * The message in the recipient's language (Arabic or English). It names the
 * patient by the record id only: no name, national ID or phone leaves the
 * hub in a notification (docs/architecture.md#guarantee-8). Pure.
 */
export function renderNotification(facts: NotificationFacts, language: Language): RenderedMessage {
  const patient = facts.patientId ?? '';
  const where = place(facts, language);
  switch (facts.purpose) {
    case 'critical_value': {
      const reading = `${facts.parameter} ${facts.value}${facts.unit ? ` ${facts.unit}` : ''}`;
      const why = criticalWhy(facts, language);
      return language === 'ar'
        ? {
            subject: `قيمة حرجة: ${reading} — المريض ${patient}`,
            body: [
              `${why.ar}: ${reading}${why.limit}.`,
              `المريض: ${patient}${where ? `، ${where}` : ''}.`,
              `رقم التنبيه: ${facts.alertId}. يرجى الإقرار به على لوحة الجناح.`,
            ].join('\n'),
          }
        : {
            subject: `Critical value: ${reading} — patient ${patient}`,
            body: [
              `${why.en}: ${reading}${why.limit}.`,
              `Patient: ${patient}${where ? `, ${where}` : ''}.`,
              `Alert ${facts.alertId}. Please acknowledge it on the ward board.`,
            ].join('\n'),
          };
    }
    case 'lab_result':
      return language === 'ar'
        ? {
            subject: `نتيجة مختبر متاحة: ${facts.testName} — المريض ${patient}`,
            body: `نتيجة ${facts.testName} (${facts.resultStatus}) للمريض ${patient} متاحة في السجل.`,
          }
        : {
            subject: `Lab result available: ${facts.testName} — patient ${patient}`,
            body: `The ${facts.resultStatus} result of ${facts.testName} for patient ${patient} is in the record.`,
          };
    case 'appointment':
      return language === 'ar'
        ? {
            subject: `موعد: ${facts.serviceType} في ${when(facts.startsAt)}`,
            body: `تم حجز موعد ${facts.serviceType} للمريض ${patient} في ${when(facts.startsAt)}.`,
          }
        : {
            subject: `Appointment: ${facts.serviceType} on ${when(facts.startsAt)}`,
            body: `An appointment for ${facts.serviceType} was booked for patient ${patient} on ${when(facts.startsAt)}.`,
          };
    default: {
      const unhandled: never = facts.purpose;
      return unhandled;
    }
  }
}
