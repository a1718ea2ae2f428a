import type { IdSource } from '../../../kernel/events/ids.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import { hubMessage } from '../../errors.ts';
import { hubEventRecord } from '../../ingestGuard/complianceViolation.ts';
import { deadLetterHeaders } from '../deadLetterRecord.ts';
import type { TransactionContext } from '../hubService.ts';
import { serviceTransaction, type TransactionDeps } from '../serviceRunner.ts';
import { retryDelayMs } from '../retrySchedule.ts';
import { notificationSentDraft, type SentNotificationRow } from './notificationSent.ts';
import type { Channel, NotificationProvider } from './notificationProviders.ts';
import { addressOf } from './recipientDirectory.ts';

export interface NotificationDelivery {
  /** Sends what is due now; resolves with how many rows were settled (sent or dead). */
  deliverDue(): Promise<number>;
  /** Looks for due rows soon (after a commit that planned some). */
  wake(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface DeliveryDeps {
  serviceName: string;
  transaction: TransactionDeps;
  topics: HubTopics;
  providers: ReadonlyMap<Channel, NotificationProvider>;
  newId: IdSource;
  retry: { attempts: number; initialDelayMs: number; maxDelayMs: number };
  intervalMs: number;
  random?: () => number;
}

interface DueRow extends SentNotificationRow {
  subject: string;
  body: string;
  attempts: number;
  language: 'ar' | 'en' | null;
}

const batch = 20; // rows per transaction: a slow provider holds few row locks

/**
 * Sends pending notifications. Each due row is locked (SKIP LOCKED: two hubs
 * share the work), handed to its channel's provider, and settled in the same
 * transaction: sent (and notification_sent through the outbox), or tried
 * again later with exponential backoff, or after the last try marked dead
 * and dead-lettered with HUB_ERR_NOTIFICATION_FAILED. A crash after the
 * provider accepted and before the commit sends that one message again:
 * delivery is at least once, and the Idempotency-Key/notification id lets a
 * provider drop the repeat.
 */
export function createNotificationDelivery(deps: DeliveryDeps): NotificationDelivery {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  const logger = deps.transaction.logger;

  const settle = async (ctx: TransactionContext, row: DueRow): Promise<'sent' | 'retry' | 'dead'> => {
    const provider = deps.providers.get(row.channel);
    const attempt = row.attempts + 1;
    let failure: string;
    try {
      if (!provider) throw new Error(`no ${row.channel} provider is configured`);
      const address = await addressOf(ctx.tx, row.recipient_id, row.channel);
      if (!address) throw new Error(`recipient has no ${row.channel} address any more`);
      const providerId = await provider.send({
        notificationId: row.notification_id,
        address,
        subject: row.subject,
        body: row.body,
        language: row.language ?? 'en',
      });
      await ctx.tx.query(
        `UPDATE notifications SET status = 'sent', attempts = $2, sent_at = $3, provider_id = $4, last_error = NULL
         WHERE notification_id = $1`,
        [row.notification_id, attempt, ctx.now, providerId.slice(0, 200)],
      );
      const draft = notificationSentDraft(row, attempt, ctx.now, deps.newId);
      await ctx.send(hubEventRecord(draft, deps.topics.of('alert-events'), deps.serviceName));
      return 'sent';
    } catch (error) {
      // The provider's words, never the address (it is PHI for a patient).
      failure = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    }
    if (attempt >= deps.retry.attempts) {
      await ctx.tx.query(
        `UPDATE notifications SET status = 'dead', attempts = $2, last_error = $3 WHERE notification_id = $1`,
        [row.notification_id, attempt, failure],
      );
      await ctx.send(deadLetter(row, attempt, failure, ctx.now, deps));
      return 'dead';
    }
    const wait = retryDelayMs(attempt + 1, deps.retry, deps.random);
    await ctx.tx.query(
      `UPDATE notifications SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE notification_id = $1`,
      [row.notification_id, attempt, failure, new Date(ctx.now.getTime() + wait)],
    );
    return 'retry';
  };

  const deliverBatch = () =>
    serviceTransaction(deps.serviceName, deps.transaction, async (ctx) => {
      const { rows } = await ctx.tx.query<DueRow>(
        `SELECT n.notification_id, n.event_id, n.recipient_id, n.channel, n.purpose, n.alert_id, n.patient_id,
                n.facility_id, n.tenant_id, n.correlation_id, n.subject, n.body, n.attempts,
                r.language, r.recipient_kind
         FROM notifications n LEFT JOIN notification_recipients r USING (recipient_id)
         WHERE n.status = 'pending' AND n.next_attempt_at <= $1
         ORDER BY n.next_attempt_at LIMIT $2 FOR UPDATE OF n SKIP LOCKED`,
        [ctx.now, batch],
      );
      let settled = 0;
      for (const row of rows) {
        const outcome = await settle(ctx, row);
        if (outcome !== 'retry') settled += 1;
        const labels = { service: deps.serviceName, outcome: `notification_${outcome}` };
        ctx.afterCommit(() => deps.transaction.metrics.eventsProcessed.inc(labels));
      }
      return { rows: rows.length, settled };
    });

  const drain = async () => {
    let settled = 0;
    do {
      again = false;
      for (;;) {
        const result = await deliverBatch();
        settled += result.settled;
        if (result.rows < batch) break;
      }
    } while (again);
    return settled;
  };

  const deliverDue = () => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    deliverDue,
    wake() {
      deliverDue().catch((error: unknown) =>
        logger.warn({ err: error }, 'notification delivery failed; will retry'),
      );
    },
    start() {
      timer ??= setInterval(() => {
        deliverDue().catch((error: unknown) =>
          logger.warn({ err: error }, 'notification delivery failed; will retry'),
        );
      }, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      for (const provider of deps.providers.values()) provider.close();
    },
  };
}

/** The dead letter of a notification that never left: who and why, not the address or the text. */
function deadLetter(row: DueRow, attempts: number, failure: string, now: Date, deps: DeliveryDeps) {
  const message = hubMessage('HUB_ERR_NOTIFICATION_FAILED', [
    row.notification_id,
    row.channel,
    row.recipient_id,
    attempts,
    failure,
  ]);
  return {
    topic: deps.transaction.deadLetterTopic,
    key: row.patient_id ?? row.facility_id,
    value: JSON.stringify({
      notificationId: row.notification_id,
      eventId: row.event_id,
      recipientId: row.recipient_id,
      channel: row.channel,
      purpose: row.purpose,
      attempts,
      lastError: failure,
    }),
    headers: {
      [deadLetterHeaders.reasonCode]: 'HUB_ERR_NOTIFICATION_FAILED',
      [deadLetterHeaders.reason]: message.slice(0, 1000),
      [deadLetterHeaders.service]: deps.serviceName,
      [deadLetterHeaders.deadLetteredAt]: now.toISOString(),
      'content-type': 'application/json',
    },
  };
}
