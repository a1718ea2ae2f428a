import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { whileLogCannotCommit } from '../../harness/logWriteLock.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { startTcpRelay } from '../../harness/tcpRelay.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { normalVitals, vitalsDeviceKey, vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor, within } from '../../harness/waitFor.ts';

// docs/architecture.md#guarantee-1 (acknowledged means durable) over MQTT
// (docs/mqtt.md): every PUBACKed reading is in the log, devices authenticate, and a
// device publishes only under its own topic.

let gateway: TestGateway;
let reader: EventLogReader;
let nurseHeaders: { cookie: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  nurseHeaders = (await signInOverHttp(gateway, 'nurse')).headers;
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

/** Publishes at QoS 1; resolves with the error, or undefined once the PUBACK came. */
function publishQos1(client: MqttClient, topic: string, payload: string): Promise<Error | undefined> {
  return new Promise((resolve) =>
    client.publish(topic, payload, { qos: 1 }, (error) => resolve(error ?? undefined)),
  );
}

async function metrics(): Promise<string> {
  return scrapeMetrics(gateway.httpPort);
}

function onceClosed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('QoS 1 readings from several devices publishing at once', () => {
  it('has every reading in the log, committed, by the time its PUBACK reaches the device', async () => {
    const devices = ['ward-a-1', 'ward-a-2', 'ward-a-3', 'ward-a-4', 'ward-a-5'];
    const perDevice = 200;
    const clients = await Promise.all(
      devices.map(async (deviceId) => gateway.connectDevice(deviceId, await gateway.addDevice(deviceId))),
    );
    const missingAtPuback: string[] = [];
    const refused: string[] = [];
    let acknowledged = 0;

    await Promise.all(
      devices.flatMap((deviceId, index) =>
        Array.from({ length: perDevice }, (_, i) => {
          const seq = i + 1;
          return new Promise<void>((resolve) => {
            clients[index]!.publish(
              gateway.vitalsTopic(deviceId),
              vitalsPayload(seq),
              { qos: 1 },
              (error) => {
                if (error) refused.push(`${deviceId}#${seq}: ${error.message}`);
                else {
                  acknowledged += 1;
                  // Read at the moment of the PUBACK, on a second connection that sees only committed rows.
                  if (reader.byDeviceKey(vitalsDeviceKey(deviceId, seq)).length !== 1)
                    missingAtPuback.push(`${deviceId}#${seq}`);
                }
                resolve();
              },
            );
          });
        }),
      ),
    );

    expect(refused).toEqual([]);
    expect(acknowledged).toBe(devices.length * perDevice);
    expect(missingAtPuback).toEqual([]);
    for (const deviceId of devices) {
      const stored = reader
        .ofType('vital_signs_recorded')
        .filter((event) => event.data.deviceId === deviceId);
      expect(stored.map((event) => event.data.deviceSeq).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: perDevice }, (_, i) => i + 1),
      );
    }
    // The gateway's own connection agrees (the brief's check, through gateway.services.db).
    const viaGateway = gateway.services.db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE event_type = 'vital_signs_recorded' AND device_key LIKE 'ward-a-%'",
      )
      .get();
    expect(viaGateway?.n).toBe(devices.length * perDevice);
  });
});

describe('a reading the log cannot commit', () => {
  it('gets no PUBACK and the device is disconnected; resent once the log can write, it is stored once', async () => {
    const deviceId = 'monitor-locked-log';
    const password = await gateway.addDevice(deviceId);
    const client = await gateway.connectDevice(deviceId, password);
    await waitFor('device_connected', () =>
      reader.ofType('device_connected').some((event) => event.data.deviceId === deviceId),
    );
    const payload = vitalsPayload(1);
    const key = vitalsDeviceKey(deviceId, 1);
    let pubacked = false;
    await whileLogCannotCommit(gateway, async () => {
      const closed = onceClosed(client);
      client.publish(gateway.vitalsTopic(deviceId), payload, { qos: 1 }, (error) => {
        if (!error) pubacked = true;
      });
      await within('the broker to close the connection', closed);
    });

    expect(pubacked).toBe(false);
    expect(reader.byDeviceKey(key)).toEqual([]);
    const again = await gateway.connectDevice(deviceId, password, { clientId: `${deviceId}/again` });
    expect(await publishQos1(again, gateway.vitalsTopic(deviceId), payload)).toBeUndefined();
    expect(reader.byDeviceKey(key)).toHaveLength(1);
  });
});

describe('a device bound to a patient', () => {
  it("records each of its readings under that patient's id, and an unbound device's under none", async () => {
    const bound = 'monitor-bed-7';
    const unbound = 'spot-check-1';
    const boundClient = await gateway.connectDevice(
      bound,
      await gateway.addDevice(bound, { patientId: 'P-000731', bed: '7' }),
    );
    const unboundClient = await gateway.connectDevice(unbound, await gateway.addDevice(unbound));

    expect(await publishQos1(boundClient, gateway.vitalsTopic(bound), vitalsPayload(1))).toBeUndefined();
    expect(await publishQos1(unboundClient, gateway.vitalsTopic(unbound), vitalsPayload(1))).toBeUndefined();

    const [reading] = reader.byDeviceKey(vitalsDeviceKey(bound, 1));
    expect(reading?.patientId).toBe('P-000731');
    expect(reading?.data).toMatchObject({
      deviceId: bound,
      bed: '7',
      deviceSeq: 1,
      oxygenSaturation: { value: 97, unit: '%' },
    });
    const [other] = reader.byDeviceKey(vitalsDeviceKey(unbound, 1));
    expect(other).toBeDefined();
    expect(other?.patientId).toBeUndefined();
  });
});

describe('a reading that names its patient', () => {
  const named = (seq: number, patientId: string) =>
    JSON.stringify({ ...JSON.parse(vitalsPayload(seq)), patientId });

  it('from a bound device naming another patient is quarantined, acknowledged and filed nowhere', async () => {
    const deviceId = 'monitor-bed-9';
    const client = await gateway.connectDevice(
      deviceId,
      await gateway.addDevice(deviceId, { patientId: 'P-000900' }),
    );
    const quarantinedBefore = gateway.services.quarantine.count();
    expect(await publishQos1(client, gateway.vitalsTopic(deviceId), named(1, 'P-000999'))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 1))).toEqual([]);
    expect(gateway.services.quarantine.count()).toBe(quarantinedBefore + 1);
    // The same device naming its own patient is recorded as usual.
    expect(await publishQos1(client, gateway.vitalsTopic(deviceId), named(2, 'P-000900'))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 2))[0]?.patientId).toBe('P-000900');
  });

  it('from an unbound device is filed under that patient only if the patient is registered here', async () => {
    const deviceId = 'spot-check-9';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    await gateway.http.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: nurseHeaders,
      payload: { patientId: 'P-000950', firstName: 'Sara', lastName: 'Ali', sex: 'female' },
    });
    expect(await publishQos1(client, gateway.vitalsTopic(deviceId), named(1, 'P-000950'))).toBeUndefined();
    expect(await publishQos1(client, gateway.vitalsTopic(deviceId), named(2, 'P-unknown'))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 1))[0]?.patientId).toBe('P-000950');
    expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 2))).toEqual([]);
  });
});

describe('a device that is not allowed to connect', () => {
  it('is refused at CONNECT when it is not registered, counted and quarantined, and nothing is appended', async () => {
    const failedBefore = metricValue(await metrics(), 'events_failed_total', {
      channel: 'mqtt',
      reason: 'GW_ERR_DEVICE_AUTH',
    });
    const quarantineHead = reader.quarantineHead();
    const headSeq = reader.headSeq();

    const refusal = await gateway.connectDevice('not-registered', 'any-password').then(
      () => undefined,
      (error: Error & { code?: number }) => error,
    );

    expect(refusal).toBeInstanceOf(Error);
    expect([4, 5]).toContain(refusal?.code); // CONNACK: bad user name or password / not authorised [MQTT-3.2.2.3]
    await waitFor(
      'the refused CONNECT to be quarantined',
      () => reader.quarantinedAfter(quarantineHead).length > 0,
    );
    expect(reader.quarantinedAfter(quarantineHead)).toEqual([
      expect.objectContaining({
        channel: 'mqtt',
        origin: 'not-registered',
        reasonCode: 'GW_ERR_DEVICE_AUTH',
      }),
    ]);
    expect(
      metricValue(await metrics(), 'events_failed_total', { channel: 'mqtt', reason: 'GW_ERR_DEVICE_AUTH' }),
    ).toBe(failedBefore + 1);
    expect(reader.headSeq()).toBe(headSeq);
  });

  it('is refused at CONNECT when its password is wrong, and counted', async () => {
    const deviceId = 'monitor-wrong-password';
    const password = await gateway.addDevice(deviceId);
    const failedBefore = metricValue(await metrics(), 'events_failed_total', {
      channel: 'mqtt',
      reason: 'GW_ERR_DEVICE_AUTH',
    });
    const headSeq = reader.headSeq();

    const refusal = await gateway.connectDevice(deviceId, `${password}x`).then(
      () => undefined,
      (error: Error & { code?: number }) => error,
    );

    expect([4, 5]).toContain(refusal?.code);
    await waitFor(
      'the refusal to be counted',
      async () =>
        metricValue(await metrics(), 'events_failed_total', {
          channel: 'mqtt',
          reason: 'GW_ERR_DEVICE_AUTH',
        }) ===
        failedBefore + 1,
    );
    expect(reader.ofType('device_connected', headSeq)).toEqual([]);
    // The right password still works: the refusal was about the password, not the device.
    const client = await gateway.connectDevice(deviceId, password, { clientId: `${deviceId}/retry` });
    expect(client.connected).toBe(true);
  });
});

describe('a device publishing on a topic that is not its own', () => {
  const facility = () => gateway.services.facility.facilityId;
  const cases = [
    {
      name: "another device's topic",
      deviceId: 'intruder-1',
      topic: () => `clinic/${facility()}/devices/victim-monitor/vitals`,
    },
    {
      name: "another facility's topic",
      deviceId: 'intruder-2',
      topic: () => 'clinic/another-clinic/devices/intruder-2/vitals',
    },
    {
      name: 'a topic outside the device convention',
      deviceId: 'intruder-3',
      topic: () => 'hospital/everything',
    },
  ];

  beforeAll(async () => {
    await gateway.addDevice('victim-monitor');
  });

  it.each(cases)(
    'gets no PUBACK and loses its connection, nothing is appended, and the refusal is quarantined and counted ($name)',
    async ({ deviceId, topic }) => {
      const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
      const failedBefore = metricValue(await metrics(), 'events_failed_total', {
        channel: 'mqtt',
        reason: 'GW_ERR_DEVICE_TOPIC',
      });
      const quarantineHead = reader.quarantineHead();
      const headSeq = reader.headSeq();
      const closed = onceClosed(client);
      let pubacked = false;

      client.publish(topic(), vitalsPayload(1), { qos: 1 }, (error) => {
        if (!error) pubacked = true;
      });
      await within('the broker to close the connection', closed);

      // A PUBACK would have come before the close on the same TCP stream.
      expect(pubacked).toBe(false);
      const quarantined = await waitFor('the refusal in quarantine', () => {
        const rows = reader.quarantinedAfter(quarantineHead);
        return rows.length > 0 ? rows : undefined;
      });
      expect(quarantined).toEqual([
        expect.objectContaining({ channel: 'mqtt', origin: deviceId, reasonCode: 'GW_ERR_DEVICE_TOPIC' }),
      ]);
      expect(quarantined[0]?.reason).toContain(topic());
      expect(reader.ofType('vital_signs_recorded', headSeq)).toEqual([]);
      expect(reader.byDeviceKey(vitalsDeviceKey('victim-monitor', 1))).toEqual([]);
      expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 1))).toEqual([]);
      const counted = async () =>
        metricValue(await metrics(), 'events_failed_total', {
          channel: 'mqtt',
          reason: 'GW_ERR_DEVICE_TOPIC',
        });
      await waitFor('the refusal to be counted', async () => (await counted()) > failedBefore);
      expect(await counted()).toBe(failedBefore + 1);
    },
  );
});

describe('a retransmitted reading (same device, same seq)', () => {
  it('is acknowledged every time, stored once, and counted as a duplicate (plain resend and DUP flag)', async () => {
    const deviceId = 'monitor-resends';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    const topic = gateway.vitalsTopic(deviceId);
    const payload = vitalsPayload(41);
    const duplicatesBefore = metricValue(await metrics(), 'nilecare_duplicate_readings_total', {
      channel: 'mqtt',
    });

    expect(await publishQos1(client, topic, payload)).toBeUndefined();
    expect(await publishQos1(client, topic, payload)).toBeUndefined();
    const withDup = await new Promise<Error | undefined>((resolve) =>
      client.publish(topic, payload, { qos: 1, dup: true }, (error) => resolve(error ?? undefined)),
    );
    expect(withDup).toBeUndefined();

    expect(reader.byDeviceKey(vitalsDeviceKey(deviceId, 41))).toHaveLength(1);
    expect(
      reader.ofType('vital_signs_recorded').filter((event) => event.data.deviceId === deviceId),
    ).toHaveLength(1);
    expect(metricValue(await metrics(), 'nilecare_duplicate_readings_total', { channel: 'mqtt' })).toBe(
      duplicatesBefore + 2,
    );
  });

  it('is not mistaken for one when the seq repeats with another timestamp (a restarted counter): both are stored', async () => {
    const deviceId = 'monitor-rebooted';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    const topic = gateway.vitalsTopic(deviceId);
    const duplicatesBefore = metricValue(await metrics(), 'nilecare_duplicate_readings_total', {
      channel: 'mqtt',
    });

    expect(
      await publishQos1(client, topic, vitalsPayload(1, normalVitals(), '2025-03-01T08:00:00.000Z')),
    ).toBeUndefined();
    expect(
      await publishQos1(client, topic, vitalsPayload(1, normalVitals(), '2025-03-01T09:30:00.000Z')),
    ).toBeUndefined();

    const stored = reader.ofType('vital_signs_recorded').filter((event) => event.data.deviceId === deviceId);
    expect(stored.map((event) => event.data.measuredAt)).toEqual([
      '2025-03-01T08:00:00.000Z',
      '2025-03-01T09:30:00.000Z',
    ]);
    expect(stored[1]?.metadata).toMatchObject({ deviceSeqReused: { earlierEventSeq: stored[0]?.seq } });
    expect(metricValue(await metrics(), 'nilecare_duplicate_readings_total', { channel: 'mqtt' })).toBe(
      duplicatesBefore,
    );
  });

  it('is stored once when its PUBACK was lost and the client resends it after reconnecting', async () => {
    const deviceId = 'monitor-lossy-link';
    const password = await gateway.addDevice(deviceId);
    const relay = await startTcpRelay(gateway.mqttPort);
    const client = mqtt.connect(`mqtt://127.0.0.1:${relay.port}`, {
      clientId: deviceId,
      username: deviceId,
      password,
      reconnectPeriod: 50,
      connectTimeout: 5000,
    });
    try {
      let connects = 0;
      client.on('connect', () => {
        connects += 1;
      });
      await waitFor('the first CONNACK', () => connects === 1);
      const duplicatesBefore = metricValue(await metrics(), 'nilecare_duplicate_readings_total', {
        channel: 'mqtt',
      });
      const key = vitalsDeviceKey(deviceId, 7);

      relay.dropReplies = true;
      const acknowledged = publishQos1(client, gateway.vitalsTopic(deviceId), vitalsPayload(7));
      await waitFor('the reading to be committed', () => reader.byDeviceKey(key).length === 1);
      await waitFor('the PUBACK to be dropped on the way back', () => relay.droppedBytes >= 4);
      relay.dropReplies = false;
      relay.cutAll();

      expect(await acknowledged).toBeUndefined(); // PUBACK of the resend after reconnecting
      expect(connects).toBe(2);
      expect(reader.byDeviceKey(key)).toHaveLength(1);
      expect(metricValue(await metrics(), 'nilecare_duplicate_readings_total', { channel: 'mqtt' })).toBe(
        duplicatesBefore + 1,
      );
    } finally {
      await client.endAsync(true);
      await relay.close();
    }
  });
});

describe('a critical reading (SpO2 85 %)', () => {
  it('has critical_value_detected caused by the reading committed with it, visible when the PUBACK arrives', async () => {
    const deviceId = 'monitor-bed-12';
    const client = await gateway.connectDevice(
      deviceId,
      await gateway.addDevice(deviceId, { patientId: 'P-001200', bed: '12' }),
    );
    let atPuback:
      | {
          readingSeq?: number;
          readingId?: string;
          alerts: { seq: number; causationId?: string; data: Record<string, unknown> }[];
        }
      | undefined;

    await new Promise<void>((resolve, reject) => {
      const vitals = { ...normalVitals(), spo2: { value: 85, unit: '%' } };
      client.publish(gateway.vitalsTopic(deviceId), vitalsPayload(1, vitals), { qos: 1 }, (error) => {
        if (error) return reject(error);
        const [reading] = reader.byDeviceKey(vitalsDeviceKey(deviceId, 1));
        const alerts = reader
          .ofType('critical_value_detected')
          .filter((event) => event.causationId === reading?.eventId);
        atPuback = { readingSeq: reading?.seq, readingId: reading?.eventId, alerts };
        resolve();
      });
    });

    expect(atPuback?.readingId).toBeDefined();
    expect(atPuback?.alerts).toHaveLength(1);
    const [alert] = atPuback!.alerts;
    // Appended right behind the reading, in the same transaction.
    expect(alert?.seq).toBe(atPuback!.readingSeq! + 1);
    expect(alert?.data).toMatchObject({
      parameter: 'oxygenSaturation',
      value: 85,
      severity: 'critical',
      deviceId,
      bed: '12',
    });
    expect(reader.bySeq(alert!.seq)?.patientId).toBe('P-001200');
  });
});
