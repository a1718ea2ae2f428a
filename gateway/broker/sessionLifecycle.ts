import type { Aedes, Client } from 'aedes';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { deviceConnectedDraft, deviceDisconnectedDraft } from '../../kernel/events/deviceSessionDrafts.ts';
import { type BrokerContext, isDiskLow } from './brokerContext.ts';
import { disconnectReason } from './deviceEvents.ts';

/** A device session's start and end, recorded; and the one way a revoked device's sessions end. */
export interface SessionLifecycle {
  /** Disconnects a revoked device's sessions at once; resolves how many there were. */
  disconnectRevoked(deviceId: string): number;
  /** From now on a session ends because the gateway shuts down. */
  shutDown(): void;
}

/**
 * device_connected when a device's CONNECT is accepted and device_disconnected,
 * with why, when its connection ends (docs/mqtt.md#connection-events). Sessions
 * an unclean stop left open are closed at the next start (staleSessions.ts).
 */
export function trackSessions(aedes: Aedes, ctx: BrokerContext): SessionLifecycle {
  const { sessions, facility, newId, clock, metrics, logger, recorder, track } = ctx;
  let shuttingDown = false;

  /** Nobody waits for a session event, so a failed commit is at least logged. */
  function recordSessionEvent(deviceId: string, draft: EventDraft): void {
    track(recorder.record({ draft, channel: 'internal', origin: deviceId })).then(
      (outcome) => {
        if (outcome.status === 'quarantined')
          logger.error({ code: outcome.code, deviceId, reason: outcome.reason }, 'session event refused');
      },
      (error: Error) =>
        isDiskLow(error)
          ? logger.debug({ code: error.code, deviceId, eventType: draft.eventType }, 'session event refused')
          : logger.error({ err: error, deviceId, eventType: draft.eventType }, 'session event not recorded'),
    );
  }

  aedes.on('clientReady', (client) => {
    const session = sessions.get(client);
    if (!session) return;
    metrics.mqttClients.inc();
    const at = clock().toISOString();
    recordSessionEvent(
      session.deviceId,
      deviceConnectedDraft({ deviceId: session.deviceId, transport: 'mqtt' }, at, facility, newId),
    );
  });
  // Nothing heard for 1.5 times the keep-alive: aedes closes the connection [MQTT-3.1.2-24].
  aedes.on('keepaliveTimeout', (client) => {
    const session = sessions.get(client);
    if (session) session.keepaliveTimedOut = true;
  });
  aedes.on('clientError', (client, error) => {
    const session = sessions.get(client);
    if (session && !/ECONNRESET|EPIPE|connection closed/i.test(error.message)) session.protocolError = true;
    logger.debug({ deviceId: session?.deviceId, err: error.message }, 'device connection error');
  });
  aedes.on('clientDisconnect', (client) => {
    const session = sessions.get(client);
    if (!session) return;
    metrics.mqttClients.dec();
    // aedes marks a client that sent DISCONNECT, whose Will is then discarded [MQTT-3.14.4-3].
    const cleanDisconnect = (client as unknown as { _disconnected?: boolean })._disconnected === true;
    const reason = disconnectReason({ shuttingDown, cleanDisconnect, ...session });
    const at = clock().toISOString();
    recordSessionEvent(
      session.deviceId,
      deviceDisconnectedDraft({ deviceId: session.deviceId, transport: 'mqtt' }, reason, at, facility, newId),
    );
  });

  return {
    disconnectRevoked(deviceId) {
      let closed = 0;
      // aedes keeps its connected clients in `clients` (by client id) without typing it.
      const connected = (aedes as unknown as { clients: Record<string, Client> }).clients;
      for (const client of Object.values(connected)) {
        const session = sessions.get(client);
        if (session?.deviceId !== deviceId) continue;
        session.revoked = true;
        client.close();
        closed += 1;
      }
      return closed;
    },
    shutDown() {
      shuttingDown = true;
    },
  };
}
