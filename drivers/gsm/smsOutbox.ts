import type { IdSource } from '../../kernel/events/ids.ts';
import { escalationSmsText } from './escalationSmsText.ts';
import type { OnCallRecipient } from './gsmSettings.ts';
import type { SqliteDatabase, AlertDoc } from '../../gateway/pluginApi.ts';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxRow {
  id: number;
  alert_id: string;
  level: number;
  recipient_id: string;
  notification_id: string;
  patient_id: string | null;
  escalation_event_id: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  message_refs: string | null;
  delivered_refs: string | null;
}

interface EscalationBody {
  eventId: string;
  data: { alertId: string; level: number };
}

/**
 * The SMS outbox (migration 5). Escalations are taken from the log itself,
 * after a cursor advanced in the same transaction as the rows it creates,
 * so an escalation committed just before a crash is still texted after the
 * restart, and one already queued is never queued twice (unique alert,
 * level, recipient).
 */
export function createSmsOutbox(db: SqliteDatabase) {
  const statements = {
    cursor: db.prepare<[], { after_seq: number }>('SELECT after_seq FROM sms_outbox_cursor WHERE id = 1'),
    escalations: db.prepare<[number], { seq: number; body: string }>(
      "SELECT seq, body FROM events WHERE event_type = 'alert_escalated' AND seq > ? ORDER BY seq",
    ),
    headSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events'),
    advance: db.prepare<[number]>('UPDATE sms_outbox_cursor SET after_seq = ? WHERE id = 1'),
    insert: db.prepare(
      `INSERT OR IGNORE INTO sms_outbox (alert_id, level, recipient_id, notification_id, patient_id,
         escalation_event_id, body, status, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ),
    nextDue: db.prepare<[string], OutboxRow>(
      "SELECT * FROM sms_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY id LIMIT 1",
    ),
    earliestDue: db.prepare<[], { at: string | null }>(
      "SELECT MIN(next_attempt_at) AS at FROM sms_outbox WHERE status IN ('pending', 'sending')",
    ),
    setStatus: db.prepare<[OutboxStatus, number, string | null, string, number]>(
      'UPDATE sms_outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?',
    ),
    sent: db.prepare<[string, string, number]>(
      "UPDATE sms_outbox SET status = 'sent', sent_at = ?, message_refs = ?, last_error = NULL WHERE id = ?",
    ),
    byRef: db.prepare<[number], OutboxRow>(
      `SELECT * FROM sms_outbox WHERE status = 'sent' AND delivered_at IS NULL
         AND EXISTS (SELECT 1 FROM json_each(message_refs) WHERE value = ?) ORDER BY id DESC LIMIT 1`,
    ),
    delivered: db.prepare<[string, string | null, number]>(
      'UPDATE sms_outbox SET delivered_refs = ?, delivered_at = ? WHERE id = ?',
    ),
    all: db.prepare<[], OutboxRow>('SELECT * FROM sms_outbox ORDER BY id'),
  };

  return {
    /** Queues an SMS per on-call recipient for each alert_escalated after the cursor; returns how many. */
    enqueueEscalations(
      recipients: readonly OnCallRecipient[],
      alertOf: (alertId: string) => AlertDoc | undefined,
      now: Date,
      newId: IdSource,
      utcOffsetMinutes: number,
    ): number {
      return db.transaction(() => {
        const after = statements.cursor.get()!.after_seq;
        let queued = 0;
        let last = after;
        for (const row of statements.escalations.all(after)) {
          last = row.seq;
          const event = JSON.parse(row.body) as EscalationBody;
          const alert = alertOf(event.data.alertId);
          if (!alert) continue;
          const body = escalationSmsText(alert, event.data.level, utcOffsetMinutes);
          for (const recipient of recipients) {
            if (recipient.fromLevel > event.data.level) continue;
            const at = now.toISOString();
            const result = statements.insert.run(
              alert.alertId,
              event.data.level,
              recipient.recipientId,
              newId(),
              alert.patientId ?? null,
              event.eventId,
              body,
              at,
              at,
            );
            queued += result.changes;
          }
        }
        if (last !== after) statements.advance.run(last);
        return queued;
      })();
    },
    nextDue: (now: Date) => statements.nextDue.get(now.toISOString()),
    earliestDue: () => statements.earliestDue.get()?.at ?? undefined,
    markSending: (row: OutboxRow, attempts: number, now: Date) =>
      statements.setStatus.run('sending', attempts, null, now.toISOString(), row.id),
    markRetry: (row: OutboxRow, attempts: number, error: string, nextAt: Date) =>
      statements.setStatus.run('pending', attempts, error, nextAt.toISOString(), row.id),
    markFinal: (row: OutboxRow, status: 'failed' | 'cancelled', attempts: number, error: string, now: Date) =>
      statements.setStatus.run(status, attempts, error, now.toISOString(), row.id),
    markSent: (row: OutboxRow, references: readonly number[], now: Date) =>
      statements.sent.run(now.toISOString(), JSON.stringify(references), row.id),
    sentWithReference: (reference: number) => statements.byRef.get(reference),
    markDelivered: (row: OutboxRow, delivered: readonly number[], completeAt: Date | undefined) =>
      statements.delivered.run(JSON.stringify(delivered), completeAt?.toISOString() ?? null, row.id),
    all: () => statements.all.all(),
  };
}

export type SmsOutbox = ReturnType<typeof createSmsOutbox>;
