import mqtt, { type MqttClient } from 'mqtt';
import { vitalsPayload } from '../../test/harness/vitalsReadings.ts';

/** One bedside monitor of the simulated ward. */
export interface WardDevice {
  deviceId: string;
  password: string;
}

async function connectDevice(mqttPort: number, device: WardDevice): Promise<MqttClient> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: device.deviceId,
        username: device.deviceId,
        password: device.password,
        reconnectPeriod: 1000,
      });
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** A critical reading (SpO2 85 %, docs/critical-values.md) one reading in this many, per device. */
const criticalEvery = 90;

/**
 * The ward's monitors on real MQTT clients, each publishing one QoS 1
 * reading a second (docs/mqtt.md), now and then a critical one whose send
 * time is kept by "<deviceId>#<seq>" so the alert's arrival on the nurse's
 * stream gives the alert latency.
 */
export async function startSimulatedWard(
  mqttPort: number,
  topicOf: (deviceId: string) => string,
  devices: readonly WardDevice[],
  criticalSentAt: Map<string, number>,
) {
  // Ten at a time, each retried: the gateway's login guard bounds the password checks it runs at once
  // (gateway/broker/hashingGate.ts) and refuses the excess, as it would a ward switched on at once.
  const clients: MqttClient[] = [];
  for (let from = 0; from < devices.length; from += 10)
    clients.push(
      ...(await Promise.all(devices.slice(from, from + 10).map((device) => connectDevice(mqttPort, device)))),
    );
  let published = 0;
  let acknowledged = 0;
  let failed = 0;
  const timers: NodeJS.Timeout[] = [];
  devices.forEach((device, index) => {
    let seq = 0;
    const client = clients[index]!;
    const tick = () => {
      seq += 1;
      const critical = (seq + index) % criticalEvery === 0;
      const payload = critical
        ? vitalsPayload(seq, { spo2: { value: 85, unit: '%' }, heartRate: { value: 118, unit: '/min' } })
        : vitalsPayload(seq);
      if (critical) criticalSentAt.set(`${device.deviceId}#${seq}`, performance.now());
      published += 1;
      client.publish(topicOf(device.deviceId), payload, { qos: 1 }, (error) => {
        if (error) failed += 1;
        else acknowledged += 1;
      });
    };
    // Spread over the second so the ward does not publish in one burst.
    timers.push(setTimeout(() => timers.push(setInterval(tick, 1000)), (index * 1000) / devices.length));
  });
  return {
    counts: () => ({ published, acknowledged, failed }),
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
    },
  };
}
