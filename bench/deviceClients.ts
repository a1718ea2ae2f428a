import mqtt, { type MqttClient } from 'mqtt';
import type { FleetDevice } from './fleetProtocol.ts';

/** Connects one real MQTT 3.1.1 client per device over TCP; resolves once every CONNACK is in. */
export function connectDevices(mqttUrl: string, devices: readonly FleetDevice[]): Promise<MqttClient[]> {
  return Promise.all(
    devices.map(
      (device) =>
        new Promise<MqttClient>((resolve, reject) => {
          const client = mqtt.connect(mqttUrl, {
            clientId: device.deviceId,
            username: device.deviceId,
            ...(device.password ? { password: device.password } : {}),
            protocolVersion: 4,
            reconnectPeriod: 0,
            connectTimeout: 30_000,
          });
          client.once('connect', () => resolve(client));
          client.once('error', reject);
        }),
    ),
  );
}

export async function disconnectDevices(clients: readonly MqttClient[]): Promise<void> {
  await Promise.all(clients.map((client) => client.endAsync()));
}
