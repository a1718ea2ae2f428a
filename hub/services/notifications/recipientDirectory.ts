import type { HubTx } from '../../db/hubDatabase.ts';
import type { Channel } from './notificationProviders.ts';
import type { NotificationFacts } from './notificationPlan.ts';

/** One person in the directory (table notification_recipients, docs/notifications.md). */
export interface Recipient {
  recipientId: string;
  recipientKind: 'staff' | 'patient';
  language: 'ar' | 'en';
  /** Where each channel reaches them; a channel without an address is not used. */
  addresses: Partial<Record<Channel, string>>;
}

interface RecipientRow {
  recipient_id: string;
  recipient_kind: 'staff' | 'patient';
  language: 'ar' | 'en';
  email: string | null;
  sms_phone: string | null;
  push_url: string | null;
}

/**
 * "The right people": the facility's active recipients who take this purpose
 * (on the event's ward, or on every ward), and the person the event names
 * itself (the practitioner an appointment is booked with), whatever their purposes.
 */
export async function recipientsFor(tx: HubTx, facts: NotificationFacts): Promise<Recipient[]> {
  const { rows } = await tx.query<RecipientRow>(
    `SELECT recipient_id, recipient_kind, language, email, sms_phone, push_url
     FROM notification_recipients
     WHERE active AND facility_id = $1
       AND (($2 = ANY (purposes) AND (ward IS NULL OR ward = $3)) OR recipient_id = $4)
     ORDER BY recipient_id`,
    [facts.facilityId, facts.purpose, facts.ward ?? null, facts.namedRecipientId ?? null],
  );
  return rows.map((row) => ({
    recipientId: row.recipient_id,
    recipientKind: row.recipient_kind,
    language: row.language,
    addresses: {
      ...(row.email ? { email: row.email } : {}),
      ...(row.sms_phone ? { sms: row.sms_phone } : {}),
      ...(row.push_url ? { push: row.push_url } : {}),
    },
  }));
}

/** The address of one recipient on one channel, read when the message leaves (it may have changed). */
export async function addressOf(
  tx: HubTx,
  recipientId: string,
  channel: Channel,
): Promise<string | undefined> {
  const column = channel === 'email' ? 'email' : channel === 'sms' ? 'sms_phone' : 'push_url';
  const { rows } = await tx.query<{ address: string | null }>(
    `SELECT ${column} AS address FROM notification_recipients WHERE recipient_id = $1`,
    [recipientId],
  );
  return rows[0]?.address ?? undefined;
}
