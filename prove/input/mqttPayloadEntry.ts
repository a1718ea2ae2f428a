import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { parseAlarmPayload } from '../../gateway/broker/alarmPayload.ts';
import { parseVitalsPayload } from '../../gateway/broker/vitalsPayload.ts';
import { type EntryPoint, within } from './entryPoint.ts';
import { hostileAlarm, hostilePayload, hostileVitals } from './hostileJson.ts';
import { hostileDevice } from './inputGateway.ts';

/** QoS 1 publishes kept waiting for their PUBACK at once, on the one connection. */
const window = 16;
/** The payload a PUBLISH of the gateway's default 16 KiB packet limit (gateway/config/gatewayOptions.ts) can carry, less its topic. */
const maxPayloadBytes = 16 * 1024 - 200;

type Kind = 'vitals' | 'alarms';
const hostilePublish = fc.oneof(
  fc.tuple(fc.constant<Kind>('vitals'), hostilePayload(hostileVitals)),
  fc.tuple(fc.constant<Kind>('alarms'), hostilePayload(hostileAlarm)),
);

/** A QoS 1 publish that resolves on its PUBACK and rejects when the connection closes first (mqtt.js would keep it for a reconnect). */
function acknowledged(client: MqttClient, topic: string, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const closed = () => reject(new Error('connection closed before the PUBACK'));
    client.once('close', closed);
    client.publish(topic, payload, { qos: 1 }, (error) => {
      client.off('close', closed);
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Hostile JSON bodies on the device's own topics (docs/mqtt.md), QoS 1 on
 * one connection, a new one when the gateway closes it (an oversized packet,
 * [MQTT-4.8.0-1]). A body the gateway's parser refuses must be quarantined
 * and PUBACKed (docs/architecture.md#guarantee-7): the client's copy of the
 * parser says which.
 */
export const mqttPayloadEntry: EntryPoint = {
  name: 'mqtt-payload',
  limitMs: 10_000,
  network: true,
  async run({ gateway, count, seed }, counts) {
    const inputs = fc.sample(hostilePublish, { numRuns: count, seed });
    const topic = (kind: Kind) => `clinic/${gateway.facilityId}/devices/${hostileDevice}/${kind}`;
    let client: MqttClient | undefined;
    let connecting: Promise<MqttClient> | undefined;
    // One connection at a time: the workers share it, and the first to find it closed opens the next.
    const connected = (): Promise<MqttClient> => {
      if (client?.connected) return Promise.resolve(client);
      connecting ??= (async () => {
        await client?.endAsync(true).catch(() => undefined);
        client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.process.mqttPort}`, {
          clientId: hostileDevice,
          username: hostileDevice,
          password: gateway.devicePassword,
          reconnectPeriod: 0,
          connectTimeout: 5000,
        });
        // One close listener per publish in flight (acknowledged()).
        client.setMaxListeners(window * 2);
        return client;
      })().finally(() => {
        connecting = undefined;
      });
      return connecting;
    };
    const publishOne = async (index: number, kind: Kind, payload: Buffer) => {
      const parsed = kind === 'vitals' ? parseVitalsPayload(payload) : parseAlarmPayload(payload);
      const oversized = payload.length > maxPayloadBytes;
      const started = performance.now();
      let tries = 0;
      for (;;) {
        tries += 1;
        try {
          await within(acknowledged(await connected(), topic(kind), payload), 15_000, 'PUBACK');
          if (!parsed.ok) {
            counts.refused += 1;
            counts.mustQuarantine += 1;
          }
          break;
        } catch {
          // Over the packet limit the connection closes [MQTT-4.8.0-1]: refused. Another publish in
          // flight on that connection is sent again on the next, as a device does after a reconnect.
          if (oversized) {
            counts.refused += 1;
            break;
          }
          if (tries < 5) continue;
          counts.violations.push({
            round: index,
            guarantee: 'a device payload is PUBACKed (stored or quarantined)',
            detail: `mqtt-payload input ${index}: ${payload.length} bytes on ${kind} got no PUBACK in ${tries} tries`,
          });
          break;
        }
      }
      counts.timed(index, performance.now() - started);
      counts.inputs += 1;
    };
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        const [kind, payload] = inputs[index]!;
        await publishOne(index, kind, payload);
      }
    };
    try {
      await Promise.all(Array.from({ length: window }, worker));
    } finally {
      await client?.endAsync(true).catch(() => undefined);
    }
  },
};
