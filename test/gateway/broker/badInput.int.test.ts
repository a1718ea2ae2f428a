import { connect } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../gateway/eventStore/verifyChain.ts';
import { type EventLogReader, openEventLogReader, type StoredEvent } from '../../harness/eventLogReader.ts';
import { whileLogCannotCommit } from '../../harness/logWriteLock.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { normalVitals, vitalsDeviceKey, vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor, within } from '../../harness/waitFor.ts';

// docs/architecture.md#guarantee-7: bad input gets a clear error and loses nothing. Each
// kind of bad MQTT input gets its documented outcome (docs/mqtt.md), is
// counted in /metrics and quarantined with its reason; what was stored before
// stays, the chain still verifies, and the broker keeps serving.

const MAX_PACKET_BYTES = 1024;
const GOOD = 'monitor-good';
const FAULTY = 'monitor-faulty';

let gateway: TestGateway;
let reader: EventLogReader;
let good: MqttClient;
let faulty: MqttClient;
let storedBefore: StoredEvent[];

function publishQos1(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
): Promise<Error | undefined> {
  return new Promise((resolve) =>
    client.publish(topic, payload, { qos: 1 }, (error) => resolve(error ?? undefined)),
  );
}

async function failedCount(reason: string): Promise<number> {
  return metricValue(await scrapeMetrics(gateway.httpPort), 'events_failed_total', {
    channel: 'mqtt',
    reason,
  });
}

beforeAll(async () => {
  gateway = await startTestGateway({ maxPacketBytes: MAX_PACKET_BYTES });
  reader = openEventLogReader(gateway.dataDir);
  good = await gateway.connectDevice(GOOD, await gateway.addDevice(GOOD, { patientId: 'P-000100' }));
  faulty = await gateway.connectDevice(FAULTY, await gateway.addDevice(FAULTY));
  for (let seq = 1; seq <= 20; seq += 1) {
    const spo2 = seq === 10 ? 86 : 97; // one critical reading, so an alert is among what must survive
    const error = await publishQos1(
      good,
      gateway.vitalsTopic(GOOD),
      vitalsPayload(seq, { ...normalVitals(), spo2: { value: spo2, unit: '%' } }),
    );
    if (error) throw error;
  }
  storedBefore = reader.all();
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

const ts = '2025-03-01T08:00:00.000Z';
const spo2 = (measurement: Record<string, unknown>) =>
  JSON.stringify({ seq: 1, timestamp: ts, vitals: { spo2: measurement } });

const malformed: { name: string; kind?: 'alarms'; payload: string | Buffer; field: string; rule: string }[] =
  [
    {
      name: 'malformed JSON',
      payload: '{"seq": 1, "timestamp": "2025-03-01T08:00:00Z", "vitals": {',
      field: '/',
      rule: 'json',
    },
    {
      name: 'bytes that are not text at all',
      payload: Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x01]),
      field: '/',
      rule: 'json',
    },
    { name: 'a JSON array instead of an object', payload: '[97, 78]', field: '/', rule: 'type' },
    {
      name: 'seq of the wrong type',
      payload: JSON.stringify({ seq: 'three', timestamp: ts, vitals: normalVitals() }),
      field: '/seq',
      rule: 'type',
    },
    {
      name: 'a value of the wrong type',
      payload: spo2({ value: '97', unit: '%' }),
      field: '/vitals/spo2/value',
      rule: 'type',
    },
    {
      name: 'a measurement without its unit',
      payload: spo2({ value: 97 }),
      field: '/vitals/spo2/unit',
      rule: 'required',
    },
    {
      name: 'a unit the gateway does not know',
      payload: spo2({ value: 97, unit: 'ppm' }),
      field: '/vitals/spo2/unit',
      rule: 'enum',
    },
    {
      name: 'SpO2 of 140 %, out of range',
      payload: spo2({ value: 140, unit: '%' }),
      field: '/vitals/spo2/value',
      rule: 'range',
    },
    {
      name: 'systolic 50 kPa, out of range once converted to mm[Hg]',
      payload: JSON.stringify({ seq: 1, timestamp: ts, vitals: { systolic: { value: 50, unit: 'kPa' } } }),
      field: '/vitals/systolic/value',
      rule: 'range',
    },
    {
      name: 'a missing seq',
      payload: JSON.stringify({ timestamp: ts, vitals: normalVitals() }),
      field: '/seq',
      rule: 'required',
    },
    {
      name: 'a missing timestamp',
      payload: JSON.stringify({ seq: 1, vitals: normalVitals() }),
      field: '/timestamp',
      rule: 'required',
    },
    {
      name: 'a timestamp that is not a date-time',
      payload: JSON.stringify({ seq: 1, timestamp: 'yesterday', vitals: normalVitals() }),
      field: '/timestamp',
      rule: 'format',
    },
    {
      name: 'no measurements',
      payload: JSON.stringify({ seq: 1, timestamp: ts, vitals: {} }),
      field: '/vitals',
      rule: 'minProperties',
    },
    {
      name: 'an alarm without its priority',
      kind: 'alarms',
      payload: JSON.stringify({ seq: 1, timestamp: ts, alarmCode: 'LEAD_OFF' }),
      field: '/priority',
      rule: 'required',
    },
  ];

describe('a malformed payload from a registered device', () => {
  it.each(malformed)(
    'is PUBACKed only once its quarantine record is committed, appends nothing and is counted ($name)',
    async ({ kind, payload, field, rule }) => {
      const topic =
        kind === 'alarms'
          ? `clinic/${gateway.services.facility.facilityId}/devices/${FAULTY}/alarms`
          : gateway.vitalsTopic(FAULTY);
      const headSeq = reader.headSeq();
      const quarantineHead = reader.quarantineHead();
      const failedBefore = await failedCount('GW_ERR_PAYLOAD_INVALID');
      const deadLettersBefore = metricValue(await scrapeMetrics(gateway.httpPort), 'dead_letter_queue_size');

      const quarantinedAtPuback = await new Promise<ReturnType<EventLogReader['quarantinedAfter']>>(
        (resolve, reject) =>
          faulty.publish(topic, payload, { qos: 1 }, (error) =>
            error ? reject(error) : resolve(reader.quarantinedAfter(quarantineHead)),
          ),
      );

      expect(quarantinedAtPuback).toEqual([
        expect.objectContaining({
          channel: 'mqtt',
          origin: FAULTY,
          reasonCode: 'GW_ERR_PAYLOAD_INVALID',
          rawSize: Buffer.byteLength(payload),
        }),
      ]);
      expect(quarantinedAtPuback[0]?.issues).toContainEqual(expect.objectContaining({ field, rule }));
      expect(quarantinedAtPuback[0]?.reason).toContain(`(rule: ${rule})`);
      expect(reader.headSeq()).toBe(headSeq);
      const exposition = await scrapeMetrics(gateway.httpPort);
      expect(
        metricValue(exposition, 'events_failed_total', { channel: 'mqtt', reason: 'GW_ERR_PAYLOAD_INVALID' }),
      ).toBe(failedBefore + 1);
      expect(metricValue(exposition, 'dead_letter_queue_size')).toBe(deadLettersBefore + 1);
      // Refusing the payload does not cost the device its connection.
      expect(faulty.connected).toBe(true);
    },
  );

  it('gets no PUBACK while its quarantine record cannot be committed, and the device is disconnected', async () => {
    const deviceId = 'monitor-faulty-2';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    await waitFor('device_connected', () =>
      reader.ofType('device_connected').some((event) => event.data.deviceId === deviceId),
    );
    const quarantineHead = reader.quarantineHead();
    let pubacked = false;

    await whileLogCannotCommit(gateway, async () => {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(gateway.vitalsTopic(deviceId), spo2({ value: 140, unit: '%' }), { qos: 1 }, (error) => {
        if (!error) pubacked = true;
      });
      await within('the broker to close the connection', closed);
    });

    expect(pubacked).toBe(false);
    expect(reader.quarantinedAfter(quarantineHead)).toEqual([]);
  });

  it('does not cost the device its connection: its next good reading is stored', async () => {
    expect(await publishQos1(faulty, gateway.vitalsTopic(FAULTY), vitalsPayload(2))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(FAULTY, 2))).toHaveLength(1);
  });
});

describe(`a packet over maxPacketBytes (${MAX_PACKET_BYTES} bytes)`, () => {
  it('closes the connection with no PUBACK, appends nothing, and is quarantined and counted', async () => {
    const deviceId = 'monitor-oversize';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    const headSeq = reader.headSeq();
    const quarantineHead = reader.quarantineHead();
    const failedBefore = await failedCount('GW_ERR_PAYLOAD_TOO_LARGE');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    let pubacked = false;
    const payload = JSON.stringify({ seq: 1, timestamp: ts, vitals: normalVitals(), note: 'x'.repeat(4096) });

    client.publish(gateway.vitalsTopic(deviceId), payload, { qos: 1 }, (error) => {
      if (!error) pubacked = true;
    });
    await within('the broker to close the connection', closed);

    expect(pubacked).toBe(false);
    const quarantined = await waitFor('the oversize packet in quarantine', () => {
      const rows = reader.quarantinedAfter(quarantineHead);
      return rows.length > 0 ? rows : undefined;
    });
    expect(quarantined).toEqual([
      expect.objectContaining({ channel: 'mqtt', origin: deviceId, reasonCode: 'GW_ERR_PAYLOAD_TOO_LARGE' }),
    ]);
    expect(quarantined[0]?.reason).toContain(`limit of ${MAX_PACKET_BYTES} bytes`);
    expect(reader.ofType('vital_signs_recorded', headSeq)).toEqual([]);
    await waitFor(
      'the oversize packet to be counted',
      async () => (await failedCount('GW_ERR_PAYLOAD_TOO_LARGE')) > failedBefore,
    );
    expect(await failedCount('GW_ERR_PAYLOAD_TOO_LARGE')).toBe(failedBefore + 1);
  });
});

describe('a device that is not registered', () => {
  it('is refused at CONNECT, quarantined and counted', async () => {
    const quarantineHead = reader.quarantineHead();
    const failedBefore = await failedCount('GW_ERR_DEVICE_AUTH');

    const refusal = await gateway.connectDevice('monitor-unknown', 'guess').then(
      () => undefined,
      (error: Error & { code?: number }) => error,
    );

    expect([4, 5]).toContain(refusal?.code);
    await waitFor('the refusal in quarantine', () => reader.quarantinedAfter(quarantineHead).length > 0);
    expect(reader.quarantinedAfter(quarantineHead)).toEqual([
      expect.objectContaining({ origin: 'monitor-unknown', reasonCode: 'GW_ERR_DEVICE_AUTH' }),
    ]);
    expect(await failedCount('GW_ERR_DEVICE_AUTH')).toBe(failedBefore + 1);
  });
});

describe('a peer that sends bytes that are not MQTT', () => {
  it('has its connection closed by the broker', async () => {
    const socket = connect({ host: '127.0.0.1', port: gateway.mqttPort });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('GET / HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await within('the broker to close the connection', closed);
    expect(socket.destroyed).toBe(true);
  });
});

// Runs after the bad input above (vitest runs a file's tests in order).
describe('after all that bad input', () => {
  it('still holds every event stored before it, unchanged, and the hash chain verifies', () => {
    for (const event of storedBefore) expect(reader.bySeq(event.seq)).toEqual(event);
    expect(storedBefore.filter((event) => event.eventType === 'vital_signs_recorded')).toHaveLength(20);
    expect(storedBefore.filter((event) => event.eventType === 'critical_value_detected')).toHaveLength(1);
    const verdict = verifyChain(reader.db);
    expect(verdict).toMatchObject({ ok: true, events: reader.headSeq() });
  });

  it('keeps serving: the good device and a new connection are acknowledged and stored, and /health answers', async () => {
    expect(good.connected).toBe(true);
    expect(await publishQos1(good, gateway.vitalsTopic(GOOD), vitalsPayload(21))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(GOOD, 21))).toHaveLength(1);

    const late = 'monitor-late';
    const client = await gateway.connectDevice(late, await gateway.addDevice(late));
    expect(await publishQos1(client, gateway.vitalsTopic(late), vitalsPayload(1))).toBeUndefined();
    expect(reader.byDeviceKey(vitalsDeviceKey(late, 1))).toHaveLength(1);

    const health = await fetch(`http://127.0.0.1:${gateway.httpPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', log: { headSeq: reader.headSeq() } });
  });
});
