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
}

/** Devices as the log saw them: connected or not, and when last heard from. */
export const devicesProjection: Projection<DeviceDoc> = {
  name: 'devices',
  version: 1,
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
        return { ...base, lastSeenAt: event.recordedAt, readings: base.readings + 1 };
      default:
        return { ...base, lastSeenAt: event.recordedAt };
    }
  },
};
