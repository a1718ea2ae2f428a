import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventLogReader, openEventLogReader } from '../harness/eventLogReader.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { vitalsDeviceKey, vitalsPayload } from '../harness/vitalsReadings.ts';
import { waitFor } from '../harness/waitFor.ts';

// Attack: a registered device connects with another device's client id, and
// the broker ends the victim's session [MQTT-3.1.4-2] (docs/mqtt.md#client-ids).

let gateway: TestGateway;
let reader: EventLogReader;

beforeAll(async () => {
  gateway = await startTestGateway();
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

const quarantined = (code: string) => reader.quarantinedAfter(0).filter((row) => row.reasonCode === code);

const refusalCode = (connecting: Promise<MqttClient>) =>
  connecting.then(
    () => 'accepted',
    (error: Error & { code?: number }) => error.code,
  );

describe("a registered device using another device's client id", () => {
  it('is refused with CONNACK 5 and quarantined, and the victim keeps its session and stores its readings', async () => {
    const victimPassword = await gateway.addDevice('monitor-victim');
    const attackerPassword = await gateway.addDevice('monitor-attacker');
    const victim = await gateway.connectDevice('monitor-victim', victimPassword);
    let victimClosed = false;
    victim.on('close', () => {
      victimClosed = true;
    });

    for (const clientId of ['monitor-victim', 'monitor-victim/backup']) {
      const attempt = gateway.connectDevice('monitor-attacker', attackerPassword, { clientId });
      expect(await refusalCode(attempt)).toBe(5);
    }

    // The victim's session is the one it had: its readings are acknowledged and stored.
    for (const seq of [1, 2, 3])
      await victim.publishAsync(gateway.vitalsTopic('monitor-victim'), vitalsPayload(seq), { qos: 1 });
    expect(victimClosed).toBe(false);
    for (const seq of [1, 2, 3])
      expect(reader.byDeviceKey(vitalsDeviceKey('monitor-victim', seq))).toHaveLength(1);
    expect(
      reader.ofType('device_disconnected').filter((event) => event.data.deviceId === 'monitor-victim'),
    ).toEqual([]);

    const [refusal] = await waitFor('the refusal quarantined', () => {
      const rows = quarantined('GW_ERR_DEVICE_CLIENT_ID');
      return rows.length > 0 && rows;
    });
    expect(refusal).toMatchObject({ origin: 'monitor-attacker' });
    expect(refusal?.reason).toContain('client id is not monitor-attacker');
  });

  it('connects under its own id, or its own id then "/" and anything', async () => {
    const password = await gateway.addDevice('monitor-own');
    for (const clientId of ['monitor-own', 'monitor-own/config']) {
      const client = await gateway.connectDevice('monitor-own', password, { clientId });
      await client.endAsync();
    }
  });
});
