import type { EventDraft } from '../events/envelope.ts';
import { gatewaySources } from '../events/eventTypeSpec.ts';
import type { IdSource } from '../events/ids.ts';

export type DisconnectReason =
  | 'clean'
  | 'last_will'
  | 'keepalive_timeout'
  | 'connection_lost'
  | 'revoked'
  | 'protocol_error'
  | 'gateway_shutdown';

export interface FacilityContext {
  facilityId: string;
  tenantId: string;
  sudanState?: string;
}

function base(eventType: string, at: string, facility: FacilityContext, newId: IdSource) {
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

export function deviceConnectedDraft(
  deviceId: string,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...base('device_connected', at, facility, newId),
    data: { deviceId, transport: 'mqtt', connectedAt: at },
  };
}

export function deviceDisconnectedDraft(
  deviceId: string,
  reason: DisconnectReason,
  at: string,
  facility: FacilityContext,
  newId: IdSource,
): EventDraft {
  return {
    ...base('device_disconnected', at, facility, newId),
    data: { deviceId, transport: 'mqtt', reason, disconnectedAt: at },
  };
}

/**
 * Why a session ended, from what the broker saw, most specific first: the
 * gateway shutting down, a keep-alive timeout, the Last Will being sent, a
 * DISCONNECT packet, else a lost link.
 */
export function disconnectReason(seen: {
  revoked?: boolean;
  shuttingDown: boolean;
  keepaliveTimedOut: boolean;
  willSent: boolean;
  cleanDisconnect: boolean;
  protocolError: boolean;
}): DisconnectReason {
  if (seen.revoked) return 'revoked';
  if (seen.shuttingDown) return 'gateway_shutdown';
  if (seen.keepaliveTimedOut) return 'keepalive_timeout';
  if (seen.willSent) return 'last_will';
  if (seen.cleanDisconnect) return 'clean';
  if (seen.protocolError) return 'protocol_error';
  return 'connection_lost';
}
