import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import { gatewaySources } from '../../../kernel/events/eventTypeSpec.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { type Gateway, startGateway } from '../../../gateway/gateway.ts';
import { openEventLogReader } from '../../harness/eventLogReader.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { type ModemBehaviour, type ModemPeer, startModemPeer } from '../../harness/modemPeer.ts';
import { type PtyPair, socatPtyPair } from '../../harness/socatPty.ts';

const nurse = '+249912000001';
const doctor = '+249912000002';
const consultant = '+249912000003';

let pty: PtyPair;
let peer: ModemPeer | undefined;
let dir: ReturnType<typeof tempDataDir>;
let gateway: Gateway | undefined;

async function start(): Promise<Gateway> {
  process.env.NILECARE_GSM_MODEM_PATH = pty.gatewayPath;
  // The consultant is texted only from level 2, which this policy never reaches.
  process.env.NILECARE_ONCALL_NUMBERS = `nurse-oncall=${nurse},doctor-oncall=${doctor},consultant=${consultant}@2`;
  process.env.NILECARE_GSM_COMMAND_TIMEOUT_MS = '1000';
  process.env.NILECARE_GSM_PROMPT_TIMEOUT_MS = '3000';
  process.env.NILECARE_GSM_SEND_TIMEOUT_MS = '3000';
  process.env.NILECARE_GSM_RETRY_BASE_MS = '100';
  process.env.NILECARE_GSM_UTC_OFFSET_MINUTES = '120';
  const options = resolveGatewayOptions({
    dataDir: dir.path,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    logLevel: 'silent',
    escalation: { highAfterSeconds: 0.2, mediumAfterSeconds: 0.2, repeatEverySeconds: 3600, maxLevel: 1 },
    escalationCheckMs: 50,
  });
  gateway = await startGateway(options, {
    clock: () => new Date(),
    newId: uuidV7,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  });
  return gateway;
}

async function startPeer(behaviour: Partial<ModemBehaviour> = {}) {
  peer = await startModemPeer(pty.peerPath, behaviour);
  return peer;
}

/** A registered patient in bed A1 whose SpO2 falls to 84 %: a high-priority alert nobody acknowledges. */
async function desaturate(gw: Gateway) {
  const { facility, recorder } = gw.services;
  const base = { version: '1.0', facilityId: facility.facilityId, tenantId: facility.tenantId };
  const at = new Date().toISOString();
  await recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: {
      ...base,
      eventId: uuidV7(),
      eventType: 'patient_registered',
      timestamp: at,
      patientId: 'P-1',
      source: gatewaySources.clinicalApi,
      data: {
        firstName: 'Amna',
        lastName: 'Osman',
        sex: 'female',
        sudanNationalId: 'ABC123456789',
        registeredAt: at,
      },
    },
  });
  const outcome = await recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: {
      ...base,
      eventId: uuidV7(),
      eventType: 'vital_signs_recorded',
      timestamp: at,
      patientId: 'P-1',
      source: gatewaySources.deviceIngest,
      data: {
        method: 'device',
        deviceId: 'monitor-1',
        bed: 'A1',
        measuredAt: at,
        oxygenSaturation: { value: 84, unit: '%' },
      },
    },
  });
  if (outcome.status !== 'appended') throw new Error('reading not stored');
  const alert = outcome.events.find((event) => event.eventType === 'critical_value_detected');
  if (!alert) throw new Error('no alert raised');
  return (alert.data as { alertId: string }).alertId;
}

function eventsOf(eventType: string) {
  const reader = openEventLogReader(dir.path);
  try {
    return reader.ofType(eventType);
  } finally {
    reader.close();
  }
}

beforeEach(async () => {
  dir = tempDataDir();
  pty = await socatPtyPair();
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await peer?.close();
  peer = undefined;
  await pty.close();
  dir.remove();
});

describe('escalation SMS through a GSM modem on a pseudo-terminal', () => {
  it('texts each on-call number once, in Arabic and English, without the name, and logs sent and delivered', async () => {
    const modem = await startPeer({ promptDelayMs: 400, deliveryReports: true });
    const gw = await start();
    const alertId = await desaturate(gw);
    await waitFor('two SMS at the modem', () => modem.received.length >= 2 && modem.received, {
      timeoutMs: 15_000,
    });
    await waitFor('two sms_delivered', () => eventsOf('sms_delivered').length === 2, { timeoutMs: 5000 });

    expect(modem.commands.slice(0, 4)).toEqual(['AT', 'ATE0', 'AT+CMEE=1', 'AT+CMGF=0']);
    expect(modem.received.map((sms) => sms.phone).sort()).toEqual([nurse, doctor].sort());
    const text = modem.received[0]!.text;
    expect(text).toContain('تنبيه لم يُستجب له');
    expect(text).toContain('تشبع الأكسجين 84 %');
    expect(text).toContain('Bed A1 - SpO2 84 % low');
    expect(text).toContain(`ref ${alertId.replace(/-/g, '').slice(-6).toUpperCase()}`);
    expect(text).not.toMatch(/Amna|Osman|ABC123456789/);
    // Longer than one UCS-2 SMS: sent as concatenated parts, joined again by the phone.
    expect(modem.received[0]!.references.length).toBeGreaterThan(1);

    const sent = eventsOf('notification_sent');
    expect(sent.map((event) => event.data.recipientId).sort()).toEqual(['doctor-oncall', 'nurse-oncall']);
    for (const event of sent) {
      expect(event).toMatchObject({ patientId: 'P-1', correlationId: alertId });
      expect(event.data).toMatchObject({ channel: 'sms', purpose: 'alert_escalation', alertId, attempt: 1 });
      expect(JSON.stringify(event)).not.toContain('+2499');
    }
    const notificationIds = sent.map((event) => event.data.notificationId).sort();
    expect(
      eventsOf('sms_delivered')
        .map((event) => event.data.notificationId)
        .sort(),
    ).toEqual(notificationIds);
  });

  it('records +CMS ERROR as notification_failed and sends on the retry', async () => {
    const modem = await startPeer({ cmsErrors: [331] });
    await start();
    await desaturate(gateway!);
    await waitFor('two SMS at the modem', () => modem.received.length >= 2, { timeoutMs: 15_000 });
    await waitFor('two notification_sent', () => eventsOf('notification_sent').length === 2);
    const failed = eventsOf('notification_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({
      attempt: 1,
      errorCode: 'GW_ERR_GSM_SEND_FAILED',
      willRetry: true,
      reason: expect.stringContaining('+CMS ERROR 331 (no network service)'),
    });
    const retried = eventsOf('notification_sent').find(
      (event) => event.data.notificationId === failed[0]!.data.notificationId,
    );
    expect(retried?.data.attempt).toBe(2);
    expect(modem.received).toHaveLength(2);
    const metrics = await scrapeMetrics(gateway!.httpPort);
    expect(metricValue(metrics, 'nilecare_sms_total', { outcome: 'retry' })).toBe(1);
    expect(metricValue(metrics, 'nilecare_sms_total', { outcome: 'sent' })).toBe(2);
  });

  it('neither loses nor repeats an SMS when the gateway stops with the outbox half sent', async () => {
    // The modem takes the first SMS, then hangs: the second is in flight when the gateway stops.
    const modem = await startPeer({ holdAfterMessages: 1 });
    await start();
    await desaturate(gateway!);
    await waitFor('the first SMS', () => modem.received.length === 1, { timeoutMs: 15_000 });
    await waitFor('its notification_sent', () => eventsOf('notification_sent').length === 1);
    await gateway!.close();
    gateway = undefined;

    modem.behaviour.hold = false;
    modem.behaviour.holdAfterMessages = undefined;
    await start();
    await waitFor('the second SMS after the restart', () => modem.received.length >= 2, {
      timeoutMs: 15_000,
    });
    await waitFor('two notification_sent', () => eventsOf('notification_sent').length === 2);
    // Give a repeat every chance to show before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(modem.received.map((sms) => sms.phone).sort()).toEqual([nurse, doctor].sort());
    expect(
      eventsOf('notification_sent')
        .map((event) => event.data.recipientId)
        .sort(),
    ).toEqual(['doctor-oncall', 'nurse-oncall']);
  });
});
