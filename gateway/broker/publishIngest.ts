import type { AedesOptions, PublishPacket } from 'aedes';
import { summarize } from '../recording/clinicalRecorder.ts';
import { alarmDraft, parseAlarmPayload } from './alarmPayload.ts';
import { type BrokerContext, isDiskLow, type Session } from './brokerContext.ts';
import { parseDeviceTopic, topicRefusal } from './deviceTopics.ts';
import type { MeterVerdict } from './packetSizeMeter.ts';
import { readingPatient } from './readingPatient.ts';
import { parseVitalsPayload, type ReadingContext, vitalsDraft } from './vitalsPayload.ts';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;

/**
 * aedes' `authorizePublish`, where a reading is committed: aedes writes the
 * QoS 1 PUBACK after this hook answers and before `published` runs, so the
 * PUBACK goes only once the reading is on disk, the moment the gateway owns
 * it [MQTT-4.3.2-2] (docs/mqtt.md#what-a-device-sees).
 */
export function authorizeDevicePublish(ctx: BrokerContext): AuthorizePublishHandler {
  const { facility, sessions, logger, track, refuse } = ctx;
  return (client, packet, callback) => {
    const session = client ? sessions.get(client) : undefined;
    if (!client || !session) return callback(new Error('not authenticated'));
    // The Last Will is published through this hook too [MQTT-3.1.2-8]: the session ends with it.
    if (packet === (client as unknown as { will?: unknown }).will) session.willSent = true;
    const refusal = topicRefusal(packet.topic, session.deviceId, facility.facilityId);
    if (refusal) {
      // No negative PUBACK in MQTT 3.1.1: refused, the connection closes [MQTT-3.3.5-2].
      track(refuse('GW_ERR_DEVICE_TOPIC', session.deviceId, `topic "${packet.topic}": ${refusal}`)).then(() =>
        callback(new Error(refusal)),
      );
      return;
    }
    track(ingestReading(ctx, session, packet)).then(
      () => callback(null),
      (error: Error) => {
        // Disk low: no PUBACK, the connection closes and the device keeps the reading to send again
        // (MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2]); counted, and the state change logged once.
        if (isDiskLow(error))
          logger.debug({ code: error.code, deviceId: session.deviceId }, 'reading refused: disk low');
        else logger.error({ err: error, deviceId: session.deviceId }, 'reading not committed; no PUBACK');
        callback(error);
      },
    );
  };
}

/**
 * A message on a device topic: the payload parsed, its patient resolved,
 * then recorded, or quarantined with its reason. Resolves once it is on disk
 * (a quarantined payload too: sending it again would not help, so it is
 * acknowledged); rejects when it could not be committed.
 */
export async function ingestReading(
  ctx: BrokerContext,
  session: Session,
  packet: PublishPacket,
): Promise<void> {
  const { registry, recorder, facility, newId, logger } = ctx;
  const topic = parseDeviceTopic(packet.topic)!;
  const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  if (topic.kind === 'status') return;
  const device = registry.get(session.deviceId);
  const parsed = topic.kind === 'vitals' ? parseVitalsPayload(payload) : parseAlarmPayload(payload);
  const named = parsed.ok && 'patientId' in parsed.payload ? parsed.payload.patientId : undefined;
  const patient = parsed.ok ? readingPatient(named, device?.patientId, ctx.patientRegistered) : undefined;
  if (patient && !patient.ok) {
    const issues = [patient.issue];
    await recorder.quarantine({
      channel: 'mqtt',
      origin: session.deviceId,
      reasonCode: 'GW_ERR_PAYLOAD_INVALID',
      reason: summarize(issues),
      issues,
      raw: payload,
    });
    logger.warn(
      { code: 'GW_ERR_PAYLOAD_INVALID', deviceId: session.deviceId, rule: patient.issue.rule },
      'device reading names a patient it may not',
    );
    return;
  }
  const context: ReadingContext = {
    deviceId: session.deviceId,
    ...facility,
    ...(patient?.ok && patient.patientId ? { patientId: patient.patientId } : {}),
    ...(device?.bed ? { bed: device.bed } : {}),
    newId,
  };
  if (!parsed.ok) {
    await recorder.quarantine({
      channel: 'mqtt',
      origin: session.deviceId,
      reasonCode: parsed.code,
      reason: summarize(parsed.issues),
      issues: parsed.issues,
      raw: payload,
    });
    logger.warn(
      { code: parsed.code, deviceId: session.deviceId, topic: packet.topic },
      'device payload quarantined',
    );
    return;
  }
  const draft =
    'vitals' in parsed.payload ? vitalsDraft(parsed.payload, context) : alarmDraft(parsed.payload, context);
  const outcome = await recorder.record({
    draft,
    channel: 'mqtt',
    origin: session.deviceId,
    raw: payload,
    deviceKey: `${session.deviceId}/${topic.kind}#${parsed.payload.seq}`,
  });
  if (outcome.status === 'quarantined')
    logger.warn({ code: outcome.code, deviceId: session.deviceId }, 'device reading quarantined');
}

/**
 * Why a packet the size meter stopped is refused (pure): over the size limit,
 * or a Remaining Length longer than its four bytes (MQTT 3.1.1 section 2.2.3),
 * a protocol violation; either way the connection closes [MQTT-4.8.0-1].
 */
export function packetRefusal(
  verdict: Exclude<MeterVerdict, { ok: true }>,
  maxPacketBytes: number,
): { code: 'GW_ERR_PAYLOAD_TOO_LARGE' | 'GW_ERR_PAYLOAD_INVALID'; reason: string } {
  return verdict.reason === 'too_large'
    ? {
        code: 'GW_ERR_PAYLOAD_TOO_LARGE',
        reason: `packet of ${verdict.size} bytes is over the limit of ${maxPacketBytes} bytes`,
      }
    : { code: 'GW_ERR_PAYLOAD_INVALID', reason: 'malformed MQTT remaining length' };
}
