import { type CriticalFlag, isCriticalFlag } from '../../../kernel/clinical/analyzerFlags.ts';
import type { EventDraft } from '../../../kernel/events/envelope.ts';

/** `purpose` of notification_sent (kernel/events/schemas/notifications.ts). */
export type NotificationPurpose = 'critical_value' | 'lab_result' | 'appointment';

/** What a notification says, without PHI: ids, values and places, never names, national IDs or phones. */
export interface NotificationFacts {
  purpose: NotificationPurpose;
  patientId?: string;
  facilityId: string;
  ward?: string;
  bed?: string;
  alertId?: string;
  /** Critical value. */
  parameter?: string;
  value?: string;
  unit?: string;
  /** Absent when the analyzer's flag alone raised the alert. */
  threshold?: string;
  direction?: 'low' | 'high';
  /** The analyzer's critical flag (HL7 2.5.1 table 0078), for a flag-raised lab alert. */
  flag?: CriticalFlag;
  /** Lab result. */
  testName?: string;
  resultStatus?: string;
  /** Appointment. */
  serviceType?: string;
  startsAt?: string;
  /** A recipient the event names itself (the practitioner booked), besides the directory's. */
  namedRecipientId?: string;
}

const str = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * Which events notify, and what the message says (the platform design, "Event Handlers by
 * Service" > Notification Service): a critical value, a lab result, an
 * appointment. Every other event: undefined. Pure.
 */
export function notificationFacts(event: EventDraft): NotificationFacts | undefined {
  const data = event.data as Record<string, unknown>;
  const base = {
    facilityId: event.facilityId,
    ...(event.patientId ? { patientId: event.patientId } : {}),
    ...(str(data.ward) ? { ward: str(data.ward) } : {}),
    ...(str(data.bed) ? { bed: str(data.bed) } : {}),
  };
  switch (event.eventType) {
    case 'critical_value_detected':
      return {
        ...base,
        purpose: 'critical_value',
        alertId: String(data.alertId),
        parameter: String(data.parameter),
        // critical_value_detected 2.0: a flag-raised alert may have text, no limit, no direction.
        value: str(data.value) ?? str(data.valueText) ?? '',
        ...(str(data.unit) ? { unit: str(data.unit) } : {}),
        ...(str(data.threshold) ? { threshold: str(data.threshold) } : {}),
        ...(data.direction === 'low' || data.direction === 'high' ? { direction: data.direction } : {}),
        ...(isCriticalFlag(data.flag) ? { flag: data.flag } : {}),
      };
    case 'lab_result_available':
      return {
        ...base,
        purpose: 'lab_result',
        testName: String(data.testName),
        resultStatus: String(data.resultStatus),
      };
    case 'appointment_scheduled':
      return {
        ...base,
        purpose: 'appointment',
        serviceType: String(data.serviceType),
        startsAt: String(data.startsAt),
        ...(str(data.practitionerId) ? { namedRecipientId: str(data.practitionerId) } : {}),
      };
    default:
      return undefined;
  }
}
