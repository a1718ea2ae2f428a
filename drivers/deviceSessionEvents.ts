import type { FacilityContext } from '../gateway/broker/deviceEvents.ts';
import type { EventDraft } from '../gateway/events/envelope.ts';
import { gatewaySources } from '../gateway/events/eventTypeSpec.ts';
import type { IdSource } from '../gateway/events/ids.ts';

export type DriverTransport = 'serial' | 'astm-tcp' | 'hl7-mllp';
export type DriverDisconnectReason = 'unplugged' | 'connection_lost' | 'clean' | 'gateway_shutdown';

function envelope(eventType: string, at: string, facility: FacilityContext, newId: IdSource) {
  return {
    eventId: newId(),
    eventType,
    timestamp: at,
    version: '1.0',
    facilityId: facility.facilityId,
    tenantId: facility.tenantId,
    ...(facility.sudanState ? { sudanState: facility.sudanState } : {}),
    source: gatewaySources.deviceIngest,
  };
}

/** device_connected for a serial port opened or a TCP connection accepted. */
export function portConnectedDraft(
  deviceId: string,
  transport: DriverTransport,
  port: string,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...envelope('device_connected', at, facility, newId),
    data: { deviceId, transport, port: port.slice(0, 200), connectedAt: at },
  };
}

export function portDisconnectedDraft(
  deviceId: string,
  transport: DriverTransport,
  reason: DriverDisconnectReason,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...envelope('device_disconnected', at, facility, newId),
    data: { deviceId, transport, reason, disconnectedAt: at },
  };
}
