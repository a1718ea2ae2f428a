import nodemailer from 'nodemailer';

export type Channel = 'email' | 'sms' | 'push';

/** One message to one address; `address` is an e-mail, a phone or a push URL, never logged. */
export interface OutgoingNotification {
  notificationId: string;
  address: string;
  subject: string;
  body: string;
  language: 'ar' | 'en';
}

/** A way to reach people; every channel answers the same way, so the service treats them alike. */
export interface NotificationProvider {
  channel: Channel;
  /** Resolves with the provider's message id once it accepted the message; rejects otherwise. */
  send(message: OutgoingNotification): Promise<string>;
  close(): void;
}

const timeoutMs = 10_000; // ms: a provider that has not answered by then is retried later

/** E-mail over SMTP (nodemailer); `smtpUrl` as smtp://user:pass@host:port or smtps://... */
export function smtpProvider(smtpUrl: string, from: string): NotificationProvider {
  const url = new URL(smtpUrl);
  for (const [name, value] of Object.entries({
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  }))
    url.searchParams.set(name, String(value));
  const transport = nodemailer.createTransport(url.toString());
  return {
    channel: 'email',
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.address,
        subject: message.subject,
        text: message.body,
        // Base64 keeps Arabic text intact through any relay.
        textEncoding: 'base64',
        headers: {
          'Content-Language': message.language,
          'X-NileCare-Notification-Id': message.notificationId,
        },
      });
      return String(info.messageId);
    },
    close: () => transport.close(),
  };
}

/** POSTs JSON and expects a 2xx; the answer's `id` (if any) is the provider's message id. */
async function postJson(url: string, body: unknown, notificationId: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': notificationId },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status} from the provider`);
  try {
    const parsed = JSON.parse(text) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : notificationId;
  } catch {
    return notificationId;
  }
}

/**
 * SMS through an aggregator's HTTP webhook: one POST per message with the
 * phone and the text. The Idempotency-Key header (the notificationId) lets an
 * aggregator drop a retried request it already took.
 */
export function smsWebhookProvider(webhookUrl: string): NotificationProvider {
  return {
    channel: 'sms',
    send: (message) =>
      postJson(
        webhookUrl,
        {
          to: message.address,
          text: `${message.subject}\n${message.body}`,
          reference: message.notificationId,
        },
        message.notificationId,
      ),
    close: () => undefined,
  };
}

/** Push over a webhook: the recipient's push endpoint (a relay to FCM or a ward tablet) gets title and body. */
export function pushWebhookProvider(): NotificationProvider {
  return {
    channel: 'push',
    send: (message) =>
      postJson(
        message.address,
        {
          title: message.subject,
          body: message.body,
          reference: message.notificationId,
          language: message.language,
        },
        message.notificationId,
      ),
    close: () => undefined,
  };
}
