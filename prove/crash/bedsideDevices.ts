import mqtt, { type MqttClient } from 'mqtt';
import { normalVitals, vitalsDeviceKey, vitalsPayload } from '../../test/harness/vitalsReadings.ts';

/** What one simulated monitor has sent and what the gateway PUBACKed, across restarts. */
export interface DeviceLedger {
  deviceId: string;
  nextSeq: number;
  /** Payload of every seq sent and not yet acknowledged, so a retransmission is byte for byte the same. */
  unacknowledged: Map<number, string>;
  acknowledged: Set<number>;
}

export const devicePassword = (deviceId: string) => `prove-${deviceId}-secret`;

export const newDeviceLedger = (deviceId: string): DeviceLedger => ({
  deviceId,
  nextSeq: 1,
  unacknowledged: new Map(),
  acknowledged: new Set(),
});

/** The device keys PUBACKed so far, as the log's de-duplication key names them. */
export const pubackedKeys = (ledgers: readonly DeviceLedger[]): Set<string> =>
  new Set(ledgers.flatMap((l) => [...l.acknowledged].map((seq) => vitalsDeviceKey(l.deviceId, seq))));

/** Every tenth monitor reads a critical SpO2 now and then, so alerts are raised for the nurse to acknowledge. */
function readingOf(index: number, seq: number): string {
  const vitals = normalVitals();
  if (index % 10 === 0 && seq % 20 < 3) vitals.spo2 = { value: 84, unit: '%' };
  return vitalsPayload(seq, vitals);
}

/**
 * The monitors of the ward: each connects, first resends what it sent without
 * a PUBACK (as a device does when its link comes back), then publishes one QoS 1
 * reading every `intervalMs`. Only a PUBACK marks a seq acknowledged.
 * `closed` resolves once the gateway has closed every connection (after a
 * kill: every PUBACK it wrote has been read); `stop` ends the publishing.
 */
export async function connectDevices(
  ledgers: readonly DeviceLedger[],
  mqttPort: number,
  facilityId: string,
  intervalMs: number,
): Promise<{ closed(): Promise<void>; stop(): Promise<void> }> {
  const clients = await Promise.all(
    ledgers.map(
      (ledger) =>
        new Promise<MqttClient | undefined>((resolve) => {
          const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
            clientId: ledger.deviceId,
            username: ledger.deviceId,
            password: devicePassword(ledger.deviceId),
            reconnectPeriod: 0,
            connectTimeout: 5000,
          });
          client.on('error', () => undefined); // a kill resets every connection
          client.once('connect', () => resolve(client));
          client.once('close', () => resolve(undefined));
        }),
    ),
  );
  const closed = clients.map((client) =>
    client?.connected ? new Promise<void>((resolve) => client.once('close', () => resolve())) : undefined,
  );
  const timers: NodeJS.Timeout[] = [];
  clients.forEach((client, index) => {
    const ledger = ledgers[index]!;
    if (!client) return;
    const topic = `clinic/${facilityId}/devices/${ledger.deviceId}/vitals`;
    const send = (seq: number) =>
      client.publish(topic, ledger.unacknowledged.get(seq)!, { qos: 1 }, (error) => {
        if (error) return;
        ledger.unacknowledged.delete(seq);
        ledger.acknowledged.add(seq);
      });
    for (const seq of [...ledger.unacknowledged.keys()]) send(seq);
    timers.push(
      setInterval(() => {
        if (!client.connected) return;
        const seq = ledger.nextSeq++;
        ledger.unacknowledged.set(seq, readingOf(index, seq));
        send(seq);
      }, intervalMs),
    );
  });
  return {
    closed: async () => {
      await Promise.all(closed);
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(clients.map((client) => client?.endAsync(true).catch(() => undefined)));
    },
  };
}
