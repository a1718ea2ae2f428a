import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import type { LatestVitalsDoc } from '../../../gateway/projections/latestVitals.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { vitalsDeviceKey, vitalsPayload } from '../../harness/vitalsReadings.ts';

// docs/architecture.md#alerts-follow-flags-and-measurement-time, over MQTT with a real
// aedes broker: a monitor whose clock reset sends a normal heart rate "from 2001" after a
// bradycardia alert; the alert stays open and the chart keeps 30 as the latest value.

let gateway: TestGateway;
let reader: EventLogReader;
let monitor: MqttClient;
const deviceId = 'monitor-bed-9';
const patientId = 'P-000909';

beforeAll(async () => {
  gateway = await startTestGateway();
  reader = openEventLogReader(gateway.dataDir);
  monitor = await gateway.connectDevice(deviceId, await gateway.addDevice(deviceId, { patientId, bed: '9' }));
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

function publishHeartRate(seq: number, value: number, timestamp: string): Promise<Error | undefined> {
  const payload = vitalsPayload(seq, { heartRate: { value, unit: '/min' } }, timestamp);
  return new Promise((resolve) =>
    monitor.publish(gateway.vitalsTopic(deviceId), payload, { qos: 1 }, (error) =>
      resolve(error ?? undefined),
    ),
  );
}

const alertsOfPatient = () =>
  gateway.services.projections.all<AlertDoc>('alerts').filter((alert) => alert.patientId === patientId);

describe('a bradycardia alert, then normal heart rates from a monitor whose clock reset', () => {
  it('keeps the alert open and the chart at 30, and stores, flags and counts each back-dated reading', async () => {
    expect(await publishHeartRate(1, 30, new Date().toISOString())).toBeUndefined();
    const [raised] = alertsOfPatient();
    expect(raised).toMatchObject({ parameter: 'heartRate', value: 30, status: 'active' });

    const resets = ['2001-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'];
    for (const [index, timestamp] of resets.entries())
      expect(await publishHeartRate(index + 2, 80, timestamp), timestamp).toBeUndefined();

    // Stored (acknowledged means durable), each flagged with why its time cannot be right.
    for (const [index, timestamp] of resets.entries()) {
      const [stored] = reader.byDeviceKey(vitalsDeviceKey(deviceId, index + 2));
      expect(stored?.data, timestamp).toMatchObject({ heartRate: { value: 80 } });
      expect(stored?.metadata, timestamp).toMatchObject({
        deviceClockImplausible: { reason: 'before_floor' },
      });
    }
    // Nothing resolved: before this change the 2001 reading resolved it as returned_to_range.
    expect(reader.ofType('alert_resolved')).toEqual([]);
    expect(alertsOfPatient()).toEqual([
      expect.objectContaining({ alertId: raised!.alertId, status: 'active' }),
    ]);
    const chart = gateway.services.projections.get<LatestVitalsDoc>('latestVitals', patientId);
    expect(chart?.parameters.heartRate?.value).toBe(30);

    const exposition = await scrapeMetrics(gateway.httpPort);
    expect(
      metricValue(exposition, 'nilecare_device_clock_implausible_total', { reason: 'before_floor' }),
    ).toBe(3);
  });

  it('shows the devices page the clock offset and the count of impossible times', async () => {
    const { headers } = await signInOverHttp(gateway, 'nurse');
    const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/devices`, { headers });
    const { devices } = (await response.json()) as {
      devices: { deviceId: string; clockOffsetSeconds: number | null; implausibleClockReadings: number }[];
    };
    const device = devices.find((candidate) => candidate.deviceId === deviceId);
    expect(device?.implausibleClockReadings).toBe(3);
    // The latest reading claimed year 1: some 2 000 years behind the gateway.
    expect(device?.clockOffsetSeconds).toBeLessThan(-60_000_000_000);
  });

  it('resolves the alert once a normal reading comes with a plausible, newer time', async () => {
    expect(await publishHeartRate(5, 80, new Date().toISOString())).toBeUndefined();
    expect(reader.ofType('alert_resolved')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ reason: 'returned_to_range', value: 80 }) }),
    ]);
  });
});
