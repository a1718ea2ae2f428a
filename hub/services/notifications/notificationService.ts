import type { EventDraft } from '../../../kernel/events/envelope.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import { guardedEvent } from '../guardedEvents.ts';
import type { HubService, ServiceContext } from '../hubService.ts';
import type { NotificationDelivery } from './notificationDelivery.ts';
import { notificationFacts } from './notificationPlan.ts';
import type { Channel } from './notificationProviders.ts';
import { recipientsFor } from './recipientDirectory.ts';
import { renderNotification } from './notificationTemplates.ts';

export const notificationServiceName = 'notifications';

export interface NotificationServiceDeps {
  topics: HubTopics;
  /** The ingest guard's publisher policy, to judge the hub's own events as the guard does. */
  policy: PublisherPolicy;
  newId: IdSource;
  /** Channels with a configured provider; a recipient's other addresses are not used. */
  channels: readonly Channel[];
  delivery: NotificationDelivery;
}

/**
 * The notification service (the platform design, "Event Handlers by Service" > Notification):
 * critical_value_detected, lab_result_available and appointment_scheduled
 * become one row per (event, recipient, channel) in `notifications`, in the
 * record's transaction; the unique key makes a redelivered event notify no
 * one twice. Delivery (notificationDelivery.ts) sends the rows after commit,
 * with retries and a dead letter, and publishes notification_sent.
 */
export function createNotificationService(deps: NotificationServiceDeps): HubService {
  return {
    name: notificationServiceName,
    topics: [
      deps.topics.of('alert-events'),
      deps.topics.of('lab-events'),
      deps.topics.of('appointment-events'),
    ],
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: notificationServiceName, policy: deps.policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      const planned = await planNotifications(ctx, guarded.event, deps);
      if (planned > 0) ctx.afterCommit(() => deps.delivery.wake());
      return planned > 0 ? 'notified' : 'ignored';
    },
    start: () => deps.delivery.start(),
    close: () => deps.delivery.stop(),
  };
}

async function planNotifications(ctx: ServiceContext, event: EventDraft, deps: NotificationServiceDeps) {
  const facts = notificationFacts(event);
  if (!facts) return 0;
  let planned = 0;
  for (const recipient of await recipientsFor(ctx.tx, facts)) {
    const message = renderNotification(facts, recipient.language);
    for (const channel of deps.channels) {
      if (!recipient.addresses[channel]) continue;
      const inserted = await ctx.tx.query(
        `INSERT INTO notifications (notification_id, event_id, recipient_id, channel, purpose, alert_id, patient_id,
           facility_id, tenant_id, correlation_id, subject, body, status, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', $13, $13)
         ON CONFLICT (event_id, recipient_id, channel) DO NOTHING`,
        [
          deps.newId(),
          event.eventId,
          recipient.recipientId,
          channel,
          facts.purpose,
          facts.alertId ?? null,
          event.patientId ?? null,
          event.facilityId,
          event.tenantId,
          event.correlationId ?? event.eventId,
          message.subject,
          message.body,
          ctx.now,
        ],
      );
      planned += inserted.rowCount ?? 0;
    }
  }
  return planned;
}
