import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { dataOf, type Projection } from './projection.ts';

export interface DeviceDoc {
  deviceId: string;
  transport?: string;
  connected: boolean;
  connectedAt?: string;
  disconnectedAt?: string;
  disconnectReason?: string;
  /** Gateway time of the device's latest reading or connection. */
  lastSeenAt: string;
  readings: number;
  /**
   * The device clock minus the gateway's, in seconds, as its latest reading measured it
   * (measuredAt against recordedAt: network delay included, a second or two).
   */
  clockOffsetSeconds?: number;
  /** Readings whose measurement time the gateway flagged implausible (rules/deviceClock.ts). */
  implausibleClockReadings?: number;
}

/** Devices as the log saw them: connected or not, and when last heard from. */
export const devicesProjection: Projection<DeviceDoc> = {
  name: 'devices',
  // 2: the device clock's offset and the count of readings with an implausible time.
  version: 2,
  docIdsOf(event) {
    const deviceId = (event.data as { deviceId?: unknown }).deviceId;
    const relevant =
      event.eventType === 'device_connected' ||
      event.eventType === 'device_disconnected' ||
      event.eventType === 'vital_signs_recorded' ||
      event.eventType === 'device_alert_triggered';
    return relevant && typeof deviceId === 'string' ? [deviceId] : [];
  },
  evolve(doc, event) {
    const base: DeviceDoc = doc ?? {
      deviceId: dataOf<{ deviceId: string }>(event).deviceId,
      connected: false,
      lastSeenAt: event.recordedAt,
      readings: 0,
    };
    switch (event.eventType) {
      case 'device_connected': {
        const data = dataOf<{ transport: string; connectedAt: string }>(event);
        return {
          ...base,
          transport: data.transport,
          connected: true,
          connectedAt: data.connectedAt,
          lastSeenAt: event.recordedAt,
        };
      }
      case 'device_disconnected': {
        const data = dataOf<{ reason: string; disconnectedAt: string }>(event);
        return {
          ...base,
          connected: false,
          disconnectedAt: data.disconnectedAt,
          disconnectReason: data.reason,
        };
      }
      case 'vital_signs_recorded':
        return {
          ...base,
          lastSeenAt: event.recordedAt,
          readings: base.readings + 1,
          ...clockOf(base, event),
        };
      default:
        return { ...base, lastSeenAt: event.recordedAt };
    }
  },
};

/** What a reading says of its device's clock: the offset it shows, and whether it was implausible. */
function clockOf(
  doc: DeviceDoc,
  event: ClinicalEvent,
): Pick<DeviceDoc, 'clockOffsetSeconds' | 'implausibleClockReadings'> {
  const measuredAt = Date.parse(dataOf<{ measuredAt: string }>(event).measuredAt);
  const offset = Math.round((measuredAt - Date.parse(event.recordedAt)) / 1000);
  const implausible = event.metadata?.deviceClockImplausible ? 1 : 0;
  return {
    ...(Number.isFinite(offset) ? { clockOffsetSeconds: offset } : {}),
    implausibleClockReadings: (doc.implausibleClockReadings ?? 0) + implausible,
  };
}
