import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { OutboxRow } from './smsOutbox.ts';
import { draftEnvelope, type FacilityContext } from '../../kernel/events/eventDraft.ts';

/**
 * The events an escalation SMS leaves in the log (pure): notification_sent
 * once +CMGS answered, notification_failed for each failed attempt, and
 * sms_delivered when the network reported every part delivered. They name
 * the recipient by id, never by number (kernel/events/schemas/notifications.ts),
 * and follow the alert_escalated that caused them.
 */
function envelope(eventType: string, row: OutboxRow, at: string, facility: FacilityContext, newId: IdSource) {
  return draftEnvelope({
    eventId: newId(),
    eventType,
    timestamp: at,
    facility,
    patientId: row.patient_id ?? undefined,
    correlationId: row.alert_id,
    causationId: row.escalation_event_id,
    source: gatewaySources.clinicalApi,
  });
}

const about = (row: OutboxRow) => ({
  notificationId: row.notification_id,
  channel: 'sms',
  recipientId: row.recipient_id,
  recipientKind: 'staff',
  purpose: 'alert_escalation',
  alertId: row.alert_id,
});

export function notificationSentDraft(
  row: OutboxRow,
  attempt: number,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...envelope('notification_sent', row, at, facility, newId),
    data: { ...about(row), attempt, sentAt: at },
  };
}

export function notificationFailedDraft(
  row: OutboxRow,
  failure: { attempt: number; errorCode: string; reason: string; willRetry: boolean },
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...envelope('notification_failed', row, at, facility, newId),
    data: { ...about(row), ...failure, reason: failure.reason.slice(0, 500), failedAt: at },
  };
}

export function smsDeliveredDraft(
  row: OutboxRow,
  references: readonly number[],
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...envelope('sms_delivered', row, at, facility, newId),
    data: {
      notificationId: row.notification_id,
      via: 'gsm_modem',
      providerMessageId: references.join(',').slice(0, 100),
      deliveredAt: at,
    },
  };
}
