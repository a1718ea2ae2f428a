import { describe, it } from 'vitest';
import { devicesProjection } from '../../../gateway/projections/devices.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder, nurse, vitals } from '../../harness/handBuiltEvents.ts';

const deviceId = 'monitor-9';
const devices = projectionSpec(devicesProjection);

function connectAndRead(readings: number) {
  const build = eventBuilder({
    start: '2025-03-04T06:00:00.000Z',
    stepSeconds: 30,
    envelope: { source: 'device-integration-service' },
  });
  const events = [build.deviceConnected({ deviceId, transport: 'mqtt' })];
  for (let index = 0; index < readings; index += 1) {
    events.push(
      build.vitalSignsRecorded(
        { method: 'device', deviceId, deviceSeq: index, ...vitals({ oxygenSaturation: 97 }) },
        { patientId: 'patient-1' },
      ),
    );
  }
  return { build, events };
}

describe('a device that connects and sends readings', () => {
  it('is connected, counts its readings and was last seen at the latest one', () => {
    const { events } = connectAndRead(3);
    devices.given(events).thenDoc(deviceId, {
      deviceId,
      transport: 'mqtt',
      connected: true,
      connectedAt: events[0]!.recordedAt,
      lastSeenAt: events[3]!.recordedAt,
      readings: 3,
      // The builder times each reading when it is recorded: a clock in step.
      clockOffsetSeconds: 0,
      implausibleClockReadings: 0,
    });
  });
});

describe('a device that disconnects', () => {
  it('is not connected, keeps why and when, and keeps when it was last seen', () => {
    const { build, events } = connectAndRead(2);
    const disconnected = build.deviceDisconnected({ deviceId, transport: 'mqtt', reason: 'last_will' });
    devices.given(events, disconnected).thenDocMatches(deviceId, {
      connected: false,
      disconnectedAt: disconnected.recordedAt,
      disconnectReason: 'last_will',
      lastSeenAt: events[2]!.recordedAt,
      readings: 2,
    });
  });

  it('is connected again after it reconnects', () => {
    const { build, events } = connectAndRead(1);
    const dropped = build.deviceDisconnected({ deviceId, transport: 'mqtt', reason: 'keepalive_timeout' });
    const again = build.deviceConnected({ deviceId, transport: 'mqtt' });
    devices.given(events, dropped, again).thenDocMatches(deviceId, {
      connected: true,
      connectedAt: again.recordedAt,
      lastSeenAt: again.recordedAt,
      readings: 1,
    });
  });
});

describe('a device alarm', () => {
  it('updates when the device was last seen without counting a reading', () => {
    const { build, events } = connectAndRead(1);
    const alarm = build.deviceAlertTriggered({ deviceId, alarmCode: 'LEAD_OFF' });
    devices.given(events, alarm).thenDocMatches(deviceId, { lastSeenAt: alarm.recordedAt, readings: 1 });
  });
});

describe('a reading entered by hand', () => {
  it('touches no device document', () => {
    const manual = eventBuilder().vitalSignsRecorded(
      { method: 'manual', ...vitals({ heartRate: 70 }) },
      { patientId: 'patient-1', ...nurse },
    );
    devices.given(manual).thenTouches([]);
  });
});

describe("a device's clock", () => {
  const build = eventBuilder({
    start: '2026-06-01T10:00:00.000Z',
    envelope: { source: 'device-integration-service' },
  });
  const reading = (measuredAt: string) =>
    build.vitalSignsRecorded({ method: 'device', deviceId, measuredAt, ...vitals({ heartRate: 80 }) });

  it('is as far off as its latest reading shows: measured time against the gateway receive time', () => {
    devices
      .given(reading('2026-06-01T09:59:58.000Z'), reading('2026-06-01T13:01:00.000Z'))
      .thenDocMatches(deviceId, { clockOffsetSeconds: 3 * 3600, implausibleClockReadings: 0 });
  });

  it('counts the readings the gateway flagged with an implausible time', () => {
    const reset = reading('1970-01-01T00:00:00.000Z');
    const flagged = {
      ...reset,
      metadata: {
        deviceClockImplausible: {
          reason: 'before_floor',
          measuredAt: '1970-01-01T00:00:00.000Z',
          receivedAt: reset.recordedAt,
        },
      },
    };
    devices
      .given(flagged, reading(build.nextAt()))
      .thenDocMatches(deviceId, { clockOffsetSeconds: 0, implausibleClockReadings: 1 });
  });
});
