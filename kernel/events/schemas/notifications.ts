/**
 * Notifications (the platform design, "Event Handlers by Service": the Notification service's
 * Publishes list), and the failed attempts the gateway's GSM modem records.
 */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { define, family } from './serviceFamily.ts';

/** The ways a notification can go out (care_team_notified lists them too). */
export const channel = { type: 'string', enum: ['sms', 'email', 'push', 'in_app', 'voice'] } as const;

// --- Notifications ----------------------------------------------------------
// On alert-events, not clinical-events: most notifications answer an alert
// (critical value, escalation), and on the same topic with the same key
// (patientId) "alert raised -> escalated -> SMS sent -> delivered" stays in
// order for one patient. The alert lane makes a gateway's own SMS (GSM modem,
// guarantee 6) reach the hub early, so the hub does not notify a second time.
// The recipient's phone or e-mail is never in the event (PHI stays out of
// the log): recipientId names the user or patient and the service resolves it.
const notifications = family(
  'alert-events',
  'alert',
  'patientOrFacility',
  'notification-service',
  'gateway-service',
);
const recipient = { recipientId: id, recipientKind: { type: 'string', enum: ['staff', 'patient'] } } as const;
const purpose = {
  type: 'string',
  enum: ['critical_value', 'alert_escalation', 'lab_result', 'medication_due', 'appointment', 'other'],
} as const;

export const notificationEvents: EventTypeSpec[] = [
  define(
    notifications,
    'notification_sent',
    'A notification left for a person: SMS, e-mail, push, in-app message or voice call.',
    objectOf(['notificationId', 'channel', 'recipientId', 'recipientKind', 'purpose', 'sentAt'], {
      notificationId: id,
      channel,
      ...recipient,
      purpose,
      /** The alert it answers, for critical values and escalations. */
      alertId: id,
      attempt: { type: 'integer', minimum: 1, maximum: 20 },
      sentAt: dateTime,
    }),
  ),
  define(
    notifications,
    'sms_delivered',
    'The mobile network confirmed that an SMS reached the phone.',
    objectOf(['notificationId', 'via', 'deliveredAt'], {
      notificationId: id,
      via: { type: 'string', enum: ['gsm_modem', 'sms_gateway'] },
      providerMessageId: text(100),
      deliveredAt: dateTime,
    }),
  ),
  define(
    // E-mail needs the internet: only the hub's notification service sends it.
    { ...notifications, publishers: ['notification-service'] },
    'email_sent',
    'The mail server accepted an e-mail notification.',
    objectOf(['notificationId', 'recipientId', 'recipientKind', 'purpose', 'sentAt'], {
      notificationId: id,
      ...recipient,
      purpose,
      messageId: text(200),
      sentAt: dateTime,
    }),
  ),
];

// --- A notification that could not be sent ----------------------------------
// The gateway's GSM modem (drivers/gsm/) records each failed attempt, so the
// hub and an auditor see that an escalation SMS did not go, why, and whether
// it will be tried again; the hub's notification service may take over.
const notificationFailed = define(
  notifications,
  'notification_failed',
  'An attempt to send a notification failed: why, which attempt, and whether it will be retried.',
  objectOf(
    [
      'notificationId',
      'channel',
      'recipientId',
      'recipientKind',
      'purpose',
      'attempt',
      'errorCode',
      'reason',
      'willRetry',
      'failedAt',
    ],
    {
      notificationId: id,
      channel,
      ...recipient,
      purpose,
      alertId: id,
      attempt: { type: 'integer', minimum: 1, maximum: 20 },
      /** A coded error (GW_ERR_GSM_..., a hub code): never free text with PHI. */
      errorCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{2,63}$' },
      reason: text(500),
      willRetry: { type: 'boolean' },
      failedAt: dateTime,
    },
  ),
);

/** notification_failed on its own: the catalogue lists it after the admission saga, where it was added. */
export const notificationFailedEvents: EventTypeSpec[] = [notificationFailed];
