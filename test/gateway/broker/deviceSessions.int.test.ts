import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventLogReader, openEventLogReader, type StoredEvent } from '../../harness/eventLogReader.ts';
import type { DeviceDoc } from '../../../gateway/projections/devices.ts';
import { connectSilentDevice } from '../../harness/rawMqttSocket.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor, within } from '../../harness/waitFor.ts';

// docs/mqtt.md: device_connected and device_disconnected events, including
// disconnection by Last Will or keep-alive timeout, and the devices read
// model (connected, last seen) behind GET /api/v1/devices.

let gateway: TestGateway;
let reader: EventLogReader;
let technicianHeaders: { cookie: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  technicianHeaders = (await signInOverHttp(gateway, 'technician')).headers;
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

function sessionEvents(
  eventType: 'device_connected' | 'device_disconnected',
  deviceId: string,
): StoredEvent[] {
  return reader.ofType(eventType).filter((event) => event.data.deviceId === deviceId);
}

function disconnection(deviceId: string): Promise<StoredEvent> {
  return waitFor(
    `device_disconnected of ${deviceId}`,
    () => sessionEvents('device_disconnected', deviceId)[0],
    { timeoutMs: 8000 },
  );
}

interface DeviceView {
  deviceId: string;
  connected: boolean;
  lastSeenAt: string | null;
  readings: number;
  disconnectReason: string | null;
}

async function deviceView(deviceId: string): Promise<DeviceView | undefined> {
  const response = await gateway.http.inject({
    method: 'GET',
    url: '/api/v1/devices',
    headers: technicianHeaders,
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { devices: DeviceView[] }).devices.find(
    (device) => device.deviceId === deviceId,
  );
}

describe('a device session', () => {
  it('appends device_connected when the device connects', async () => {
    const deviceId = 'monitor-connects';
    await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));

    const connected = await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);
    expect(connected.data).toMatchObject({ deviceId, transport: 'mqtt' });
    expect(connected.patientId).toBeUndefined();
    expect(sessionEvents('device_disconnected', deviceId)).toEqual([]);
  });

  it("appends device_disconnected with reason 'clean' when the device sends DISCONNECT", async () => {
    const deviceId = 'monitor-clean';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);

    await client.endAsync(); // sends DISCONNECT [MQTT-3.14]

    const disconnected = await disconnection(deviceId);
    expect(disconnected.data).toMatchObject({ deviceId, transport: 'mqtt', reason: 'clean' });
  });

  it("appends device_disconnected with reason 'last_will' when a device with a will drops its connection", async () => {
    const deviceId = 'monitor-will';
    const will = {
      topic: `clinic/${gateway.services.facility.facilityId}/devices/${deviceId}/status`,
      payload: Buffer.from('offline'),
      qos: 1 as const,
      retain: false,
    };
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId), { will });
    await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);

    client.stream.destroy(); // no DISCONNECT: the broker must send the will [MQTT-3.1.2-8]

    const disconnected = await disconnection(deviceId);
    expect(disconnected.data).toMatchObject({ deviceId, reason: 'last_will' });
  });

  it("appends device_disconnected with reason 'connection_lost' when a device without a will drops its connection", async () => {
    const deviceId = 'monitor-no-will';
    const client = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId));
    await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);

    client.stream.destroy();

    const disconnected = await disconnection(deviceId);
    expect(disconnected.data).toMatchObject({ deviceId, reason: 'connection_lost' });
  });

  it("appends device_disconnected with reason 'keepalive_timeout' when a device stops sending within 1.5 keep-alives", async () => {
    const deviceId = 'monitor-silent';
    const password = await gateway.addDevice(deviceId);
    const startedAt = Date.now();
    // A hand-built CONNECT with keep-alive 1 s, then silence: no PINGREQ ever.
    const { socket, closed } = await connectSilentDevice(gateway.mqttPort, {
      clientId: deviceId,
      username: deviceId,
      password,
      keepaliveSeconds: 1,
    });
    try {
      await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);

      const disconnected = await disconnection(deviceId);
      await within('the broker to close the connection', closed); // the broker closed the socket [MQTT-3.1.2-24]

      expect(disconnected.data).toMatchObject({ deviceId, reason: 'keepalive_timeout' });
      // aedes allows one and a half keep-alive periods before giving up.
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1400);
    } finally {
      socket.destroy();
    }
  });
});

describe('a device that reconnects while its old connection is still open', () => {
  it('ends the old session and is shown connected on the new one', async () => {
    const deviceId = 'monitor-takeover';
    const password = await gateway.addDevice(deviceId);
    const stale = await gateway.connectDevice(deviceId, password);
    await waitFor('device_connected', () => sessionEvents('device_connected', deviceId)[0]);
    const staleClosed = new Promise<void>((resolve) => stale.once('close', () => resolve()));

    // Same client id, as a device does after its link half-dropped: the broker takes over the session.
    await gateway.connectDevice(deviceId, password);
    await within('the broker to close the old connection', staleClosed);

    await waitFor('two device_connected', () => sessionEvents('device_connected', deviceId).length === 2);
    await waitFor(
      'device_disconnected of the old session',
      () => sessionEvents('device_disconnected', deviceId)[0],
    );
    expect(await deviceView(deviceId)).toMatchObject({ connected: true });
  });
});

describe('the devices read model (GET /api/v1/devices)', () => {
  it('shows a device connected with its last-seen time and readings, then disconnected with the reason', async () => {
    const deviceId = 'monitor-projection';
    const password = await gateway.addDevice(deviceId, { bed: '4' });
    expect(await deviceView(deviceId)).toMatchObject({ connected: false, lastSeenAt: null, readings: 0 });

    const client = await gateway.connectDevice(deviceId, password);
    const connectedView = await waitFor('the device shown connected', async () => {
      const view = await deviceView(deviceId);
      return view?.connected ? view : undefined;
    });
    expect(connectedView.lastSeenAt).toEqual(expect.any(String));
    const connectedAt = connectedView.lastSeenAt!;

    await client.publishAsync(gateway.vitalsTopic(deviceId), vitalsPayload(1), { qos: 1 });
    await client.publishAsync(gateway.vitalsTopic(deviceId), vitalsPayload(2), { qos: 1 });
    const afterReadings = await deviceView(deviceId);
    expect(afterReadings).toMatchObject({ connected: true, readings: 2 });
    expect(Date.parse(afterReadings!.lastSeenAt!)).toBeGreaterThanOrEqual(Date.parse(connectedAt));
    const [reading] = reader
      .ofType('vital_signs_recorded')
      .filter((event) => event.data.deviceId === deviceId && event.data.deviceSeq === 2);
    expect(afterReadings!.lastSeenAt).toBe(reading?.recordedAt);

    await client.endAsync();
    const disconnectedView = await waitFor('the device shown disconnected', async () => {
      const view = await deviceView(deviceId);
      return view && !view.connected ? view : undefined;
    });
    expect(disconnectedView).toMatchObject({
      connected: false,
      disconnectReason: 'clean',
      readings: 2,
      lastSeenAt: afterReadings!.lastSeenAt,
    });
  });
});

describe('a device session left open by an unclean stop (power cut, SIGKILL)', () => {
  it('is recorded as lost when the gateway starts again, so the device is not shown connected', async () => {
    const dir = tempDataDir();
    try {
      const before = openRecordedDataDir(dir.path, '2025-03-07T10:00:00.000Z');
      await before.record('device_connected', {
        deviceId: 'monitor-crashed',
        transport: 'mqtt',
        connectedAt: '2025-03-07T10:00:00.000Z',
      });
      before.services.db.close();

      const restarted = await startTestGateway({ dataDir: dir.path });
      try {
        const devices = restarted.services.projections.all<DeviceDoc>('devices');
        expect(devices).toEqual([
          expect.objectContaining({
            deviceId: 'monitor-crashed',
            connected: false,
            disconnectReason: 'connection_lost',
          }),
        ]);
      } finally {
        await restarted.stop();
      }
    } finally {
      dir.remove();
    }
  });
});
