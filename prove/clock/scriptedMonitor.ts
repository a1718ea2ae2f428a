import mqtt, { type MqttClient } from 'mqtt';
import { type Measurement, normalVitals, vitalsPayload } from '../../test/harness/vitalsReadings.ts';
import { passwordOf } from '../link/wardDevices.ts';

/**
 * One bedside monitor the campaign drives reading by reading: each publish
 * waits for its PUBACK, so the device's seq order is the order the readings
 * were taken, and the device's clock is whatever time the campaign writes.
 */
export async function scriptedMonitor(mqttPort: number, facilityId: string, deviceId: string) {
  const client: MqttClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: deviceId,
    username: deviceId,
    password: passwordOf(deviceId),
    protocolVersion: 4,
    reconnectPeriod: 1000,
  });
  const topic = `clinic/${facilityId}/devices/${deviceId}/vitals`;
  let seq = 0;
  return {
    deviceId,
    /** Publishes the next reading at QoS 1 and resolves with its seq once PUBACKed. */
    async reading(vitals: Record<string, Measurement>, timestamp: Date): Promise<number> {
      seq += 1;
      await client.publishAsync(
        topic,
        vitalsPayload(seq, { ...normalVitals(), ...vitals }, timestamp.toISOString()),
        {
          qos: 1,
        },
      );
      return seq;
    },
    close: () => client.endAsync(),
  };
}
