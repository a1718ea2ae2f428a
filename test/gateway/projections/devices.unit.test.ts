import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type DeviceDoc, devicesProjection } from '../../../gateway/projections/devices.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder, nurse } from '../../harness/handBuiltEvents.ts';

const deviceId = 'monitor-9';
const device = { source: 'device-integration-service' };

function deviceAfter(events: ClinicalEvent[]): DeviceDoc | undefined {
  return projectInMemory([devicesProjection], events).get('devices')!.get(deviceId) as DeviceDoc | undefined;
}

function connectAndRead(readings: number) {
  const build = eventBuilder({ start: '2025-03-04T06:00:00.000Z', stepSeconds: 30 });
  const events = [
    build.event('device_connected', { deviceId, transport: 'mqtt', connectedAt: build.nextAt() }, device),
  ];
  for (let index = 0; index < readings; index += 1) {
    events.push(
      build.event(
        'vital_signs_recorded',
        {
          method: 'device',
          deviceId,
          deviceSeq: index,
          measuredAt: build.nextAt(),
          oxygenSaturation: { value: 97, unit: '%' },
        },
        { ...device, patientId: 'patient-1' },
      ),
    );
  }
  return { build, events };
}

describe('a device that connects and sends readings', () => {
  it('is connected, counts its readings and was last seen at the latest one', () => {
    const { events } = connectAndRead(3);
    expect(deviceAfter(events)).toEqual({
      deviceId,
      transport: 'mqtt',
      connected: true,
      connectedAt: events[0]!.recordedAt,
      lastSeenAt: events[3]!.recordedAt,
      readings: 3,
    });
  });
});

describe('a device that disconnects', () => {
  it('is not connected, keeps why and when, and keeps when it was last seen', () => {
    const { build, events } = connectAndRead(2);
    const disconnectedAt = build.nextAt();
    events.push(
      build.event(
        'device_disconnected',
        { deviceId, transport: 'mqtt', reason: 'last_will', disconnectedAt },
        device,
      ),
    );
    expect(deviceAfter(events)).toMatchObject({
      connected: false,
      disconnectedAt,
      disconnectReason: 'last_will',
      lastSeenAt: events[2]!.recordedAt,
      readings: 2,
    });
  });

  it('is connected again after it reconnects', () => {
    const { build, events } = connectAndRead(1);
    events.push(
      build.event(
        'device_disconnected',
        { deviceId, transport: 'mqtt', reason: 'keepalive_timeout', disconnectedAt: build.nextAt() },
        device,
      ),
    );
    const again = build.event(
      'device_connected',
      { deviceId, transport: 'mqtt', connectedAt: build.nextAt() },
      device,
    );
    events.push(again);
    expect(deviceAfter(events)).toMatchObject({
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
    const alarm = build.event(
      'device_alert_triggered',
      { deviceId, alarmCode: 'LEAD_OFF', priority: 'medium', kind: 'technical', triggeredAt: build.nextAt() },
      device,
    );
    events.push(alarm);
    expect(deviceAfter(events)).toMatchObject({ lastSeenAt: alarm.recordedAt, readings: 1 });
  });
});

describe('a reading entered by hand', () => {
  it('touches no device document', () => {
    const build = eventBuilder();
    const manual = build.event(
      'vital_signs_recorded',
      { method: 'manual', measuredAt: build.nextAt(), heartRate: { value: 70, unit: '/min' } },
      { patientId: 'patient-1', ...nurse },
    );
    expect(devicesProjection.docIdsOf(manual)).toEqual([]);
  });
});
