import type { MqttClient } from 'mqtt';
import type { FleetDevice, FloodCommand, FloodResult } from './fleetProtocol.ts';
import { connectDevices, disconnectDevices } from './deviceClients.ts';
import { vitalsReading } from './vitalsReadings.ts';

/**
 * One device publishing `count` QoS 1 readings as fast as PUBACKs come back,
 * keeping `window` in flight so the broker always has several to group.
 */
function floodOne(
  client: MqttClient,
  topic: string,
  firstSeq: number,
  count: number,
  window: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (count === 0) return resolve();
    let sent = 0;
    let acked = 0;
    client.once(
      'close',
      () => acked < count && reject(new Error(`connection closed after ${acked} of ${count} PUBACKs`)),
    );
    const pump = () => {
      while (sent < count && sent - acked < window) {
        const seq = firstSeq + sent;
        sent += 1;
        client.publish(topic, vitalsReading(seq, false), { qos: 1 }, (error) => {
          if (error) return reject(error);
          acked += 1;
          if (acked === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

function floodAll(
  clients: readonly MqttClient[],
  devices: readonly FleetDevice[],
  firstSeq: number,
  perDevice: number,
  window: number,
): Promise<unknown> {
  return Promise.all(
    clients.map((client, index) => floodOne(client, devices[index]!.topic, firstSeq, perDevice, window)),
  );
}

export async function runFlood(command: FloodCommand, ready: () => Promise<void>): Promise<FloodResult> {
  const clients = await connectDevices(command.mqttUrl, command.devices);
  await floodAll(clients, command.devices, 1, command.warmupPerDevice, command.window);
  await ready();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await floodAll(clients, command.devices, 1 + command.warmupPerDevice, command.perDevice, command.window);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await disconnectDevices(clients);
  return {
    kind: 'flood',
    acked: command.perDevice * clients.length,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}
