import type { DeviceDisconnectReason } from '../../kernel/events/deviceSessionDrafts.ts';

/** Why an MQTT session ended: every reason of device_disconnected but a serial port's `unplugged`. */
export type DisconnectReason = Exclude<DeviceDisconnectReason, 'unplugged'>;

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
