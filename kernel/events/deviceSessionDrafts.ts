import type { EventDraft } from './envelope.ts';
import { eventDraft, type FacilityContext } from './eventDraft.ts';
import { gatewaySources } from './eventTypeSpec.ts';
import type { IdSource } from './ids.ts';

/** How a device reaches the gateway: the MQTT broker, or a driver's serial port or TCP listener. */
export type DeviceTransport = 'mqtt' | 'serial' | 'astm-tcp' | 'hl7-mllp';

/** Why a device's session ended (kernel/events/schemas/device.ts, device_disconnected `reason`). */
export type DeviceDisconnectReason =
  | 'clean'
  | 'last_will'
  | 'keepalive_timeout'
  | 'connection_lost'
  | 'revoked'
  | 'protocol_error'
  | 'gateway_shutdown'
  | 'unplugged';

/** One device's link: its id, how it is connected, and for a driver the port or address it is on. */
export interface DeviceLinkSession {
  deviceId: string;
  transport: DeviceTransport;
  /** The serial port path or TCP peer (drivers); none for MQTT. */
  port?: string;
}

const stamp = (eventType: string, at: string, facility: FacilityContext, newId: IdSource) => ({
  eventId: newId(),
  eventType,
  timestamp: at,
  facility,
  source: gatewaySources.deviceIngest,
});

/** device_connected: an MQTT CONNECT accepted, a serial port opened, or a TCP connection accepted. */
export function deviceConnectedDraft(
  link: DeviceLinkSession,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return eventDraft(stamp('device_connected', at, facility, newId), {
    deviceId: link.deviceId,
    transport: link.transport,
    ...(link.port === undefined ? {} : { port: link.port.slice(0, 200) }),
    connectedAt: at,
  });
}

/** device_disconnected, with why. */
export function deviceDisconnectedDraft(
  link: DeviceLinkSession,
  reason: DeviceDisconnectReason,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return eventDraft(stamp('device_disconnected', at, facility, newId), {
    deviceId: link.deviceId,
    transport: link.transport,
    reason,
    disconnectedAt: at,
  });
}
