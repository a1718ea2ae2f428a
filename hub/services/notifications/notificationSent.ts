import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { Channel } from './notificationProviders.ts';

/** What notification_sent needs of a row of `notifications`. */
export interface SentNotificationRow {
  notification_id: string;
  event_id: string;
  recipient_id: string;
  channel: Channel;
  purpose: string;
  alert_id: string | null;
  patient_id: string | null;
  facility_id: string;
  tenant_id: string;
  correlation_id: string | null;
  recipient_kind: 'staff' | 'patient' | null;
}

/** notification_sent for one delivered message, caused by the event that asked for it. Pure. */
export function notificationSentDraft(
  row: SentNotificationRow,
  attempt: number,
  now: Date,
  newId: IdSource,
): EventDraft {
  const draft = eventDraft(
    {
      eventId: newId(),
      eventType: 'notification_sent',
      timestamp: now.toISOString(),
      facility: { facilityId: row.facility_id, tenantId: row.tenant_id },
      patientId: row.patient_id ?? undefined,
      correlationId: row.correlation_id ?? row.event_id,
      causationId: row.event_id,
      source: 'notification-service',
    },
    {
      notificationId: row.notification_id,
      channel: row.channel,
      recipientId: row.recipient_id,
      recipientKind: row.recipient_kind ?? 'staff',
      purpose: row.purpose,
      ...(row.alert_id ? { alertId: row.alert_id } : {}),
      attempt,
      sentAt: now.toISOString(),
    },
  );
  const checked = validateDraft(draft);
  if (!checked.ok) throw new Error(`notification_sent is invalid: ${JSON.stringify(checked.issues)}`);
  return draft;
}
