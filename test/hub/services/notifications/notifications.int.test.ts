import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../../../harness/fakeGateway.ts';
import { type ReadRecord, readTopic, startTestHub, type TestHub } from '../../../harness/hubUnderTest.ts';
import { clinicalEvents } from '../../../harness/clinicalEvents.ts';
import { startMailbox, startReceiver } from '../../../harness/mailbox.ts';

// Notifications (docs/notifications.md): a real SMTP server (smtp-server) and a real HTTP
// receiver standing for the SMS aggregator and the push relay.
let hub: TestHub;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let alerts: ReadRecord[];
let closeAlerts: () => Promise<void>;

const gateway = fakeGateway(uniqueGatewayId('notify'));
const facilityId = `facility-${gateway.gatewayId}`;
const events = clinicalEvents(gateway);
const nationalId = 'SD7391046285';
const phone = '+249912345678';

beforeAll(async () => {
  mailbox = await startMailbox();
  receiver = await startReceiver();
  hub = await startTestHub({
    services: ['ingest-guard', 'notifications'],
    smtpUrl: mailbox.url,
    smsWebhookUrl: receiver.url('/sms'),
    notifyAttempts: 3,
    notifyInitialDelayMs: 20,
    notifyMaxDelayMs: 100,
    notifyIntervalMs: 50,
  });
  const recipients = [
    [
      'dr-amal',
      facilityId,
      null,
      ['critical_value', 'lab_result'],
      'ar',
      'amal@clinic.test',
      '+249911111111',
      null,
    ],
    [
      'dr-john',
      facilityId,
      null,
      ['critical_value'],
      'en',
      'john@clinic.test',
      null,
      receiver.url('/push/john'),
    ],
    ['dr-ward7', facilityId, 'ward-7', ['critical_value'], 'en', 'ward7@clinic.test', null, null],
    ['tablet-broken', facilityId, null, ['critical_value'], 'en', null, null, receiver.url('/broken/tablet')],
    ['desk', facilityId, null, ['appointment'], 'en', 'desk@clinic.test', null, null],
    ['midwife-1', facilityId, null, [], 'ar', 'midwife@clinic.test', null, null],
    ['elsewhere', 'another-facility', null, ['critical_value'], 'en', 'other@clinic.test', null, null],
  ];
  for (const row of recipients)
    await hub.query(
      `INSERT INTO notification_recipients (recipient_id, facility_id, ward, purposes, language, email, sms_phone, push_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      row,
    );
  const reader = await readTopic(hub.kafka, hub.topics.of('alert-events'));
  alerts = reader.records;
  closeAlerts = reader.close;
}, 120_000);

afterAll(async () => {
  await closeAlerts?.();
  await hub?.close();
  await mailbox?.close();
  await receiver?.close();
});

const sent = () => alerts.filter((record) => record.headers.ce_type === 'notification_sent');

describe('a critical value', () => {
  const patient = gateway.next({
    eventType: 'patient_registered',
    patientId: 'p-notify',
    data: {
      firstName: 'Amna',
      lastName: 'Osman',
      sex: 'female',
      registeredAt: new Date().toISOString(),
      sudanNationalId: nationalId,
      phone,
    },
  });
  const critical = events.criticalValue('p-notify', 'alert-1', 'B-4');

  it('mails the on-call physicians of the facility, each in their language, without national ID or phone', async () => {
    await hub.produce([patient, critical]);
    await waitFor('two e-mails', () => mailbox.mails.length >= 2 && mailbox.mails, { timeoutMs: 20_000 });
    const arabic = mailbox.mails.find((mail) => mail.to.includes('amal@clinic.test'))!;
    const english = mailbox.mails.find((mail) => mail.to.includes('john@clinic.test'))!;
    expect(arabic.subject).toBe('قيمة حرجة: spo2 84 % — المريض p-notify');
    expect(arabic.body).toContain('قيمة حرجة منخفضة: spo2 84 % (الحد 85).');
    expect(arabic.body).toContain('السرير B-4');
    expect(english.subject).toBe('Critical value: spo2 84 % — patient p-notify');
    expect(english.body).toContain('Alert alert-1. Please acknowledge it on the ward board.');
    for (const mail of mailbox.mails) {
      expect(mail.raw).not.toContain(nationalId);
      expect(mail.raw).not.toContain(phone);
      expect(mail.raw).not.toMatch(/Amna|Osman/);
    }
    // Not the ward-7 physician (another ward), the midwife (another purpose) or another facility.
    expect(mailbox.mails.flatMap((mail) => mail.to).sort()).toEqual(['amal@clinic.test', 'john@clinic.test']);
  });

  it('texts through the SMS aggregator webhook and pushes through the push webhook', async () => {
    await waitFor(
      'sms and push',
      () =>
        receiver.requests.some((r) => r.path === '/sms') &&
        receiver.requests.some((r) => r.path === '/push/john'),
    );
    const sms = receiver.requests.find((r) => r.path === '/sms')!;
    expect(sms.body).toMatchObject({ to: '+249911111111' });
    expect(String(sms.body.text)).toContain('قيمة حرجة');
    expect(sms.headers['idempotency-key']).toEqual(sms.body.reference);
    const push = receiver.requests.find((r) => r.path === '/push/john')!;
    expect(push.body).toMatchObject({
      title: 'Critical value: spo2 84 % — patient p-notify',
      language: 'en',
    });
  });

  it('publishes notification_sent for each delivered message, caused by the critical value', async () => {
    await waitFor('four notification_sent', () => sent().length === 4, { timeoutMs: 20_000 });
    const bodies = sent().map(
      (record) =>
        JSON.parse(record.value!) as { causationId: string; source: string; data: Record<string, unknown> },
    );
    expect(
      bodies.every((body) => body.causationId === critical.eventId && body.source === 'notification-service'),
    ).toBe(true);
    expect(bodies.map((body) => `${body.data.recipientId}/${body.data.channel}`).sort()).toEqual([
      'dr-amal/email',
      'dr-amal/sms',
      'dr-john/email',
      'dr-john/push',
    ]);
    expect(
      bodies.every((body) => body.data.purpose === 'critical_value' && body.data.alertId === 'alert-1'),
    ).toBe(true);
  });

  it('retries a failing endpoint with backoff, then dead-letters it without the address', async () => {
    await waitFor(
      'the dead letter',
      () =>
        hub.deadLetters.find(
          (record) => record.headers['x-nilecare-reason-code'] === 'HUB_ERR_NOTIFICATION_FAILED',
        ),
      { timeoutMs: 20_000 },
    );
    const letter = hub.deadLetters.find(
      (record) => record.headers['x-nilecare-reason-code'] === 'HUB_ERR_NOTIFICATION_FAILED',
    )!;
    expect(JSON.parse(letter.value!)).toMatchObject({
      recipientId: 'tablet-broken',
      channel: 'push',
      attempts: 3,
    });
    expect(letter.value).not.toContain('/broken/tablet');
    expect(receiver.requests.filter((r) => r.path === '/broken/tablet')).toHaveLength(3);
    const [row] = await hub.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM notifications WHERE recipient_id = 'tablet-broken'`,
    );
    expect(row).toEqual({ status: 'dead', attempts: 3 });
  });

  it('notifies no one twice when the event is delivered again', async () => {
    await hub.produce([critical]);
    // The next critical value of the same patient: same topic and partition, read after the copy.
    const marker = events.criticalValue('p-notify', 'alert-2', 'B-4');
    await hub.produce([marker]);
    await waitFor(
      'the marker mails',
      () => mailbox.mails.filter((mail) => mail.body.includes('alert-2')).length === 2,
      {
        timeoutMs: 20_000,
      },
    );
    expect(mailbox.mails.filter((mail) => mail.body.includes('alert-1'))).toHaveLength(2);
    const [row] = await hub.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`,
      [critical.eventId],
    );
    expect(row?.n).toBe(5);
  });
});

describe('an appointment', () => {
  it('tells the facility desk and the practitioner it is booked with, in their languages', async () => {
    await hub.produce([events.appointment('p-notify', 'appt-1', 'midwife-1')]);
    await waitFor(
      'the appointment mails',
      () =>
        mailbox.mails.some((mail) => mail.to.includes('desk@clinic.test')) &&
        mailbox.mails.some((mail) => mail.to.includes('midwife@clinic.test')),
      { timeoutMs: 20_000 },
    );
    const midwife = mailbox.mails.find((mail) => mail.to.includes('midwife@clinic.test'))!;
    expect(midwife.subject).toMatch(/^موعد: antenatal care في \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    const desk = mailbox.mails.find((mail) => mail.to.includes('desk@clinic.test'))!;
    expect(desk.body).toMatch(/^An appointment for antenatal care was booked for patient p-notify on /);
  });
});

describe('a lab result', () => {
  it('tells the physicians who take lab results that it is in the record, without its value', async () => {
    await hub.produce([events.labResult('p-notify', 'res-1')]);
    const mail = await waitFor(
      'the lab mail',
      () => mailbox.mails.find((candidate) => candidate.subject.startsWith('نتيجة مختبر')),
      { timeoutMs: 20_000 },
    );
    expect(mail.to).toEqual(['amal@clinic.test']);
    expect(mail.body).toBe('نتيجة Haemoglobin (final) للمريض p-notify متاحة في السجل.');
  });
});
