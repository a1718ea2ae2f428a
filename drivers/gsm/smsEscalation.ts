import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { isPermanentCmsError } from './atResponses.ts';
import { type GsmModem, openGsmModem } from './gsmModem.ts';
import type { GsmSettings } from './gsmSettings.ts';
import { notificationFailedDraft, notificationSentDraft, smsDeliveredDraft } from './notificationDrafts.ts';
import { decodeStatusReport } from './smsPdu.ts';
import { createSmsOutbox, type OutboxRow } from './smsOutbox.ts';
import { type GatewayServices, type AlertDoc, GatewayError } from '../../gateway/pluginApi.ts';

type Services = Pick<
  GatewayServices,
  'db' | 'recorder' | 'projections' | 'liveFeed' | 'facility' | 'metrics' | 'clock' | 'newId'
>;

export interface SmsEscalation {
  /** Resolves once nothing is due now (tests). */
  close(): Promise<void>;
}

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 60_000;
const IDLE_POLL_MS = 5000;

/**
 * Texts the on-call numbers when an alert escalates (docs/architecture.md#guarantee-6).
 * alert_escalated events are queued in the SQLite outbox (smsOutbox.ts),
 * and one worker drains it through the modem, one SMS at a time. A row is
 * marked sent in the same transaction that appends notification_sent, so
 * the outbox and the log never disagree. The one window left: a crash after
 * the modem took the SMS and before that commit; the row is then still
 * "sending" and is sent again after the restart. A repeated SMS was chosen
 * over a lost escalation (at-least-once; docs/devices.md).
 */
export function startSmsEscalation(settings: GsmSettings, services: Services, logger: Logger): SmsEscalation {
  const outbox = createSmsOutbox(services.db);
  const counted = new Counter({
    name: 'nilecare_sms_total',
    help: 'Escalation SMS by outcome (queued, sent, retry, failed, cancelled, delivered)',
    labelNames: ['outcome'],
    registers: [services.metrics.registry],
  });
  const alertOf = (alertId: string) => services.projections.get<AlertDoc>('alerts', alertId);
  let stopped = false;
  let modem: GsmModem | undefined;
  let wake: (() => void) | undefined;

  const enqueue = () => {
    if (stopped || !services.db.open) return;
    try {
      const queued = outbox.enqueueEscalations(
        settings.recipients,
        alertOf,
        services.clock(),
        services.newId,
        settings.utcOffsetMinutes,
      );
      if (queued > 0) {
        counted.inc({ outcome: 'queued' }, queued);
        wake?.();
      }
    } catch (error) {
      // The escalation stays in the log after the cursor: the next escalation or start queues it.
      logger.error({ err: error }, 'escalation SMS could not be queued');
    }
  };
  const unsubscribe = services.liveFeed.subscribe((event) => {
    if (event.eventType === 'alert_escalated') setImmediate(enqueue);
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function record(draft: EventDraft, inTransaction: () => void, row: OutboxRow) {
    const outcome = await services.recorder.record({
      draft,
      channel: 'internal',
      origin: 'gsm-modem',
      precondition: inTransaction,
    });
    if (outcome.status === 'quarantined') {
      logger.error({ notificationId: row.notification_id, code: outcome.code }, 'SMS event refused');
      outbox.markFinal(row, 'failed', row.attempts, outcome.code, services.clock());
    }
  }

  async function send(row: OutboxRow, current: GsmModem) {
    const now = services.clock();
    const alert = alertOf(row.alert_id);
    if (alert?.status !== 'active') {
      // Acknowledged or resolved while the SMS waited: the nurse has it, nobody needs texting.
      outbox.markFinal(row, 'cancelled', row.attempts, `alert ${alert?.status ?? 'unknown'}`, now);
      counted.inc({ outcome: 'cancelled' });
      return;
    }
    const attempt = row.attempts + 1;
    const recipient = settings.recipients.find((r) => r.recipientId === row.recipient_id);
    try {
      if (!recipient) throw new GatewayError('GW_ERR_GSM_RECIPIENT_UNKNOWN', [row.recipient_id]);
      outbox.markSending(row, attempt, now);
      const references = await current.sendSms(recipient.phone, row.body, row.id & 0xff);
      const at = services.clock();
      await record(
        notificationSentDraft(row, attempt, at.toISOString(), services.facility, services.newId),
        () => outbox.markSent(row, references, at),
        row,
      );
      counted.inc({ outcome: 'sent' });
      for (const reference of references) {
        const status = early.get(reference);
        if (status !== undefined) applyReport({ reference, status });
      }
      logger.info(
        { notificationId: row.notification_id, recipientId: row.recipient_id, parts: references.length },
        'escalation SMS sent',
      );
    } catch (error) {
      // Stopping mid-send: leave the row "sending" for the next start to send again.
      if (stopped) return;
      await failed(row, attempt, error);
    }
  }

  async function failed(row: OutboxRow, attempt: number, error: unknown) {
    const coded =
      error instanceof GatewayError
        ? error
        : new GatewayError('GW_ERR_GSM_MODEM', [settings.modemPath, String(error)]);
    if (coded.code === 'GW_ERR_GSM_MODEM' || coded.code === 'GW_ERR_GSM_TIMEOUT') {
      // The modem may be in a state the next command would trip over: start it afresh.
      await modem?.close();
      modem = undefined;
    }
    const permanent =
      coded.code === 'GW_ERR_GSM_RECIPIENT_UNKNOWN' ||
      (coded.code === 'GW_ERR_GSM_SEND_FAILED' &&
        isPermanentCmsError(coded.details?.cmsError as number | undefined));
    const willRetry = !permanent && attempt < settings.maxAttempts;
    const now = services.clock();
    const nextAt = new Date(now.getTime() + settings.retryBaseMs * 2 ** (attempt - 1));
    await record(
      notificationFailedDraft(
        row,
        { attempt, errorCode: coded.code, reason: coded.message, willRetry },
        now.toISOString(),
        services.facility,
        services.newId,
      ),
      () =>
        willRetry
          ? outbox.markRetry(row, attempt, coded.code, nextAt)
          : outbox.markFinal(row, 'failed', attempt, coded.code, now),
      row,
    );
    counted.inc({ outcome: willRetry ? 'retry' : 'failed' });
    logger.warn(
      {
        notificationId: row.notification_id,
        recipientId: row.recipient_id,
        attempt,
        code: coded.code,
        willRetry,
      },
      'escalation SMS not sent',
    );
  }

  // A report can beat the commit that marks its SMS sent (the first part's report, while
  // later parts are still being sent): kept here until the row carries its reference.
  const early = new Map<number, number>();

  function onStatusReport(pdu: string) {
    const report = decodeStatusReport(pdu);
    if (report && !stopped) applyReport(report);
  }

  function applyReport(report: { reference: number; status: number }) {
    const row = outbox.sentWithReference(report.reference);
    if (!row) {
      early.set(report.reference, report.status);
      if (early.size > 256) early.delete(early.keys().next().value!);
      return;
    }
    early.delete(report.reference);
    if (report.status >= 0x20) {
      logger.warn(
        { notificationId: row.notification_id, status: report.status },
        'SMS delivery report: not delivered',
      );
      return;
    }
    const references = JSON.parse(row.message_refs ?? '[]') as number[];
    const delivered = [
      ...new Set([...(JSON.parse(row.delivered_refs ?? '[]') as number[]), report.reference]),
    ];
    const at = services.clock();
    if (!references.every((reference) => delivered.includes(reference))) {
      outbox.markDelivered(row, delivered, undefined);
      return;
    }
    void record(
      smsDeliveredDraft(row, references, at.toISOString(), services.facility, services.newId),
      () => outbox.markDelivered(row, delivered, at),
      row,
    ).then(
      () => counted.inc({ outcome: 'delivered' }),
      (error: unknown) =>
        logger.error({ err: error, notificationId: row.notification_id }, 'sms_delivered not recorded'),
    );
  }

  async function run() {
    let reconnectMs = RECONNECT_MIN_MS;
    enqueue();
    while (!stopped) {
      if (!modem) {
        try {
          modem = await openGsmModem(settings, onStatusReport);
          reconnectMs = RECONNECT_MIN_MS;
          logger.info({ port: settings.modemPath }, 'GSM modem ready');
        } catch (error) {
          logger.warn({ err: error, port: settings.modemPath }, 'GSM modem not usable; retrying');
          await sleep(reconnectMs);
          reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS);
          continue;
        }
      }
      const row = outbox.nextDue(services.clock());
      if (row) {
        await send(row, modem);
        continue;
      }
      const earliest = outbox.earliestDue();
      const wait = earliest ? Date.parse(earliest) - services.clock().getTime() : IDLE_POLL_MS;
      await sleep(Math.max(10, Math.min(wait, IDLE_POLL_MS)));
    }
  }

  const running = run().catch((error: unknown) => logger.error({ err: error }, 'SMS worker stopped'));
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        stopped = true;
        unsubscribe();
        wake?.();
        await modem?.close();
        await running;
        await modem?.close();
      })();
      return closing;
    },
  };
}
