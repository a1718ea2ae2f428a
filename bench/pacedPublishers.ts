import type { MqttClient } from 'mqtt';
import { listenForAlerts } from './alertListeners.ts';
import { connectDevices, disconnectDevices } from './deviceClients.ts';
import type { PacedCommand, PacedResult } from './fleetProtocol.ts';
import { vitalsReading } from './vitalsReadings.ts';

/** Readings sent before this are warm-up: published, but not timed. */
const warmupMs = 2000;

/**
 * Publishes readings at a steady total rate, the devices staggered evenly over
 * each interval, and times every critical reading from publish to its arrival
 * at the listener. Every `criticalEvery`-th reading of a device is critical and
 * the next one is normal, so each critical reading opens a new alert episode.
 */
export async function runPaced(command: PacedCommand, ready: () => Promise<void>): Promise<PacedResult> {
  const clients = await connectDevices(command.mqttUrl, command.devices);
  const sentAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let unmatched = 0;
  const listener = await listenForAlerts(command.source, (readingKey, receivedAt) => {
    const at = readingKey === undefined ? undefined : sentAt.get(readingKey);
    if (at === undefined) {
      unmatched += 1;
      return;
    }
    sentAt.delete(readingKey!);
    if (at >= 0) latenciesMs.push(receivedAt - at);
  });
  await ready();
  const cpuBefore = process.cpuUsage();
  const { sent, criticalSent, elapsedMs } = await publishPaced(clients, command, sentAt);
  await new Promise((resolve) => setTimeout(resolve, command.graceMs));
  const cpu = process.cpuUsage(cpuBefore);
  await listener.close();
  await disconnectDevices(clients);
  return {
    kind: 'paced',
    sent,
    criticalSent,
    latenciesMs,
    unmatched,
    achievedRate: (sent / elapsedMs) * 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

function publishPaced(clients: readonly MqttClient[], command: PacedCommand, sentAt: Map<string, number>) {
  const intervalMs = 1000 / command.ratePerDevice;
  const sentPerDevice = clients.map(() => 0);
  let criticalSent = 0;
  const started = performance.now();
  return new Promise<{ sent: number; criticalSent: number; elapsedMs: number }>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      if (elapsed >= command.durationMs) {
        resolve({ sent: sentPerDevice.reduce((a, b) => a + b, 0), criticalSent, elapsedMs: elapsed });
        return;
      }
      clients.forEach((client, index) => {
        const due = Math.floor((elapsed - (index / clients.length) * intervalMs) / intervalMs) + 1;
        while (sentPerDevice[index]! < due) {
          const seq = sentPerDevice[index]! + 1;
          sentPerDevice[index] = seq;
          const critical = seq % command.criticalEvery === 0;
          const device = command.devices[index]!;
          if (critical) {
            const timed = elapsed >= warmupMs;
            if (timed) criticalSent += 1;
            sentAt.set(`${device.deviceId}#${seq}`, timed ? performance.now() : -1);
          }
          client.publish(device.topic, vitalsReading(seq, critical), { qos: 1 });
        }
      });
      setTimeout(tick, 1);
    };
    tick();
  });
}
