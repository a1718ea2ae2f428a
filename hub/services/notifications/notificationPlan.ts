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
  threshold?: string;
  direction?: 'low' | 'high';
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
        value: String(data.value),
        ...(str(data.unit) ? { unit: str(data.unit) } : {}),
        threshold: String(data.threshold),
        direction: data.direction === 'low' ? 'low' : 'high',
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
