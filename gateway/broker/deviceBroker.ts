import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import { certificateLogin, type PresentedCertificate } from '../devices/certificateLogin.ts';
import type { DeviceRegistry } from '../devices/deviceRegistry.ts';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { GatewayMetrics } from '../metrics/gatewayMetrics.ts';
import type { ClinicalRecorder } from '../recording/clinicalRecorder.ts';
import { summarize } from '../recording/clinicalRecorder.ts';
import { alarmDraft, parseAlarmPayload } from './alarmPayload.ts';
import { deviceConnectedDraft, deviceDisconnectedDraft } from '../../kernel/events/deviceSessionDrafts.ts';
import { disconnectReason } from './deviceEvents.ts';
import { GatewayError, isGatewayError } from '../errors.ts';
import { parseDeviceTopic, topicRefusal } from './deviceTopics.ts';
import { readingPatient } from './readingPatient.ts';
import { GuardedConnection } from './guardedConnection.ts';
import { parseVitalsPayload, type ReadingContext, vitalsDraft } from './vitalsPayload.ts';
import type { FacilityContext } from '../../kernel/events/eventDraft.ts';

export interface DeviceBrokerOptions {
  /** TCP port for MQTT (0 picks a free one). */
  port: number;
  host: string;
  /** Largest MQTT packet accepted, in bytes; a larger one closes the connection. */
  maxPacketBytes: number;
  facility: FacilityContext;
  registry: DeviceRegistry;
  /** Whether a patient is registered at this gateway (a reading from an unbound device may name one). */
  patientRegistered: (patientId: string) => boolean;
  recorder: ClinicalRecorder;
  newId: IdSource;
  clock: () => Date;
  metrics: GatewayMetrics;
  logger: Logger;
  /**
   * MQTT over TLS beside the plain port (a provisioned gateway: its certificate
   * from the local CA). It asks each device for a client certificate and
   * verifies it against `ca`; a device without one logs in with its password.
   */
  tls?: { port: number; host: string; key: Buffer; cert: Buffer; ca: Buffer };
  /** Listen on the plain MQTT port too (turn off once every device speaks TLS). */
  plain?: boolean;
}

interface Session {
  deviceId: string;
  /** Disconnected because the device was revoked. */
  revoked?: boolean;
  keepaliveTimedOut: boolean;
  willSent: boolean;
  protocolError: boolean;
}

export interface DeviceBroker {
  /** The plain MQTT port, or 0 when it is turned off. */
  readonly port: number;
  /** The MQTT over TLS port, when TLS is configured. */
  readonly tlsPort?: number;
  readonly aedes: Aedes;
  /** Disconnects a revoked device's sessions at once; resolves how many there were. */
  disconnectRevoked(deviceId: string): number;
  close(): Promise<void>;
}

/**
 * The embedded MQTT broker for clinic devices. A reading is committed to the
 * log inside `authorizePublish`, because aedes writes the QoS 1 PUBACK after
 * that hook and before `published` runs (DESIGN.md guarantee 1).
 */
export async function startDeviceBroker(options: DeviceBrokerOptions): Promise<DeviceBroker> {
  const { facility, registry, recorder, newId, clock, metrics, logger } = options;
  const sessions = new WeakMap<Client, Session>();
  const inFlight = new Set<Promise<unknown>>();
  let shuttingDown = false;

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  }

  /**
   * Quarantines refused input with its reason (DESIGN.md guarantee 7). The
   * recorder counts it in events_failed_total when the row commits; only if
   * that fails is it counted here, so each refusal is counted once.
   */
  async function refuse(reasonCode: string, origin: string, reason: string, raw?: Buffer): Promise<void> {
    logger.warn({ code: reasonCode, origin, reason }, 'device input refused');
    try {
      await recorder.quarantine({ channel: 'mqtt', origin, reasonCode, reason, ...(raw ? { raw } : {}) });
    } catch (error) {
      metrics.eventsFailed.inc({ channel: 'mqtt', reason: reasonCode });
      logger.error({ err: error, code: reasonCode, origin }, 'refused input not quarantined');
    }
  }

  /** device_connected / device_disconnected: nobody waits for them, so a failed commit is at least logged. */
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

  async function ingest(session: Session, packet: PublishPacket): Promise<void> {
    const topic = parseDeviceTopic(packet.topic)!;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (topic.kind === 'status') return;
    const device = registry.get(session.deviceId);
    const parsed = topic.kind === 'vitals' ? parseVitalsPayload(payload) : parseAlarmPayload(payload);
    const named = parsed.ok && 'patientId' in parsed.payload ? parsed.payload.patientId : undefined;
    const patient = parsed.ok
      ? readingPatient(named, device?.patientId, options.patientRegistered)
      : undefined;
    if (patient && !patient.ok) {
      const issues = [patient.issue];
      await recorder.quarantine({
        channel: 'mqtt',
        origin: session.deviceId,
        reasonCode: 'GW_ERR_PAYLOAD_INVALID',
        reason: summarize(issues),
        issues,
        raw: payload,
      });
      logger.warn(
        { code: 'GW_ERR_PAYLOAD_INVALID', deviceId: session.deviceId, rule: patient.issue.rule },
        'device reading names a patient it may not',
      );
      return;
    }
    const context: ReadingContext = {
      deviceId: session.deviceId,
      ...facility,
      ...(patient?.ok && patient.patientId ? { patientId: patient.patientId } : {}),
      ...(device?.bed ? { bed: device.bed } : {}),
      newId,
    };
    if (!parsed.ok) {
      await recorder.quarantine({
        channel: 'mqtt',
        origin: session.deviceId,
        reasonCode: parsed.code,
        reason: summarize(parsed.issues),
        issues: parsed.issues,
        raw: payload,
      });
      logger.warn(
        { code: parsed.code, deviceId: session.deviceId, topic: packet.topic },
        'device payload quarantined',
      );
      return;
    }
    const draft =
      'vitals' in parsed.payload ? vitalsDraft(parsed.payload, context) : alarmDraft(parsed.payload, context);
    const outcome = await recorder.record({
      draft,
      channel: 'mqtt',
      origin: session.deviceId,
      raw: payload,
      deviceKey: `${session.deviceId}/${topic.kind}#${parsed.payload.seq}`,
    });
    if (outcome.status === 'quarantined')
      logger.warn({ code: outcome.code, deviceId: session.deviceId }, 'device reading quarantined');
  }

  const aedes = new Aedes({
    // Device clocks and ids come from the device registry, not from client ids.
    maxClientsIdLength: 64,
    authenticate(client, username, password, done) {
      // Unknown devices, wrong passwords and refused certificates are quarantined
      // and counted like any refused input (guarantee 7); the password is never kept.
      const connection = client.conn as unknown;
      const guarded = connection instanceof GuardedConnection ? connection : undefined;
      const fail = (code: 4 | 5, reason: string, reasonCode = 'GW_ERR_DEVICE_AUTH', origin = username) => {
        const error = new Error(reason) as AuthenticateError;
        error.returnCode = code as AuthenticateError['returnCode'];
        track(
          refuse(
            reasonCode,
            origin ? origin.slice(0, 64) : (guarded?.remoteAddress ?? 'unknown'),
            `refused at CONNECT: ${reason}`,
          ),
        ).then(() => done(error, null));
      };
      const accept = (deviceId: string) => {
        sessions.set(client, { deviceId, keepaliveTimedOut: false, willSent: false, protocolError: false });
        if (guarded) guarded.deviceId = deviceId;
        done(null, true);
      };
      const presented = guarded?.clientCertificate;
      if (presented) {
        // A presented certificate decides alone: a device never falls back to a password.
        const holder = presented.authorized ? registry.byCertificate(presented.fingerprint256) : undefined;
        const login = certificateLogin(
          presented,
          username,
          holder && { deviceId: holder.deviceId, revoked: holder.revokedAt !== undefined },
        );
        if (!login.ok) return fail(login.returnCode, login.reason, 'GW_ERR_DEVICE_CERT', holder?.deviceId);
        return accept(login.deviceId);
      }
      if (!username || !password) return fail(4, 'username (device id) and password are required');
      registry.authenticate(username, password.toString('utf8')).then(
        (result) => {
          if (!result.ok) return fail(result.reason === 'device revoked' ? 5 : 4, result.reason);
          accept(username);
        },
        (error: Error) => fail(4, error.message),
      );
    },
    authorizePublish(client, packet, callback) {
      const session = client ? sessions.get(client) : undefined;
      if (!client || !session) return callback(new Error('not authenticated'));
      if (packet === (client as unknown as { will?: unknown }).will) session.willSent = true;
      const refusal = topicRefusal(packet.topic, session.deviceId, facility.facilityId);
      if (refusal) {
        track(refuse('GW_ERR_DEVICE_TOPIC', session.deviceId, `topic "${packet.topic}": ${refusal}`)).then(
          () => callback(new Error(refusal)),
        );
        return;
      }
      track(ingest(session, packet)).then(
        () => callback(null),
        (error: Error) => {
          // Disk low: no PUBACK, the connection closes and the device keeps the reading to send again
          // (MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2]); counted, and the state change logged once.
          if (isDiskLow(error))
            logger.debug({ code: error.code, deviceId: session.deviceId }, 'reading refused: disk low');
          else logger.error({ err: error, deviceId: session.deviceId }, 'reading not committed; no PUBACK');
          callback(error);
        },
      );
    },
    authorizeSubscribe(client, subscription, callback) {
      const session = sessions.get(client);
      const own = session ? `clinic/${facility.facilityId}/devices/${session.deviceId}/` : undefined;
      callback(null, own && subscription.topic.startsWith(own) ? subscription : null);
    },
  });

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
    const cleanDisconnect = (client as unknown as { _disconnected?: boolean })._disconnected === true;
    const reason = disconnectReason({ shuttingDown, cleanDisconnect, ...session });
    const at = clock().toISOString();
    recordSessionEvent(
      session.deviceId,
      deviceDisconnectedDraft({ deviceId: session.deviceId, transport: 'mqtt' }, reason, at, facility, newId),
    );
  });

  await aedes.listen();
  const onSocket = (socket: Socket, clientCertificate?: PresentedCertificate) => {
    socket.setNoDelay(true);
    const connection = new GuardedConnection(socket, options.maxPacketBytes, (verdict, guarded) => {
      const origin = guarded.deviceId ?? guarded.remoteAddress ?? 'unknown';
      const reason =
        verdict.reason === 'too_large'
          ? `packet of ${verdict.size} bytes is over the limit of ${options.maxPacketBytes} bytes`
          : 'malformed MQTT remaining length';
      track(
        refuse(
          verdict.reason === 'too_large' ? 'GW_ERR_PAYLOAD_TOO_LARGE' : 'GW_ERR_PAYLOAD_INVALID',
          origin,
          reason,
        ),
      );
    });
    connection.clientCertificate = clientCertificate;
    aedes.handle(connection);
  };
  const onTlsSocket = (socket: TLSSocket) => onSocket(socket, presentedCertificate(socket));
  const servers: Server[] = [];
  const listen = async (server: Server, port: number, host: string, what: string) => {
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE'
        ? new GatewayError('GW_ERR_PORT_IN_USE', [`${host}:${port} (${what})`, error.message])
        : error;
    });
    return (server.address() as AddressInfo).port;
  };
  let port = 0;
  let tlsPort: number | undefined;
  try {
    if (options.plain !== false)
      port = await listen(createServer(onSocket), options.port, options.host, 'MQTT');
    if (options.tls) {
      const { key, cert, ca } = options.tls;
      // requestCert without rejectUnauthorized: a device with no certificate still
      // gets to CONNECT with its password, and a refused certificate is answered
      // with CONNACK 5 and counted, not a bare TLS alert the device cannot explain.
      const tlsServer = createTlsServer(
        { key, cert, ca, minVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: false },
        onTlsSocket,
      );
      tlsPort = await listen(tlsServer, options.tls.port, options.tls.host, 'MQTT over TLS');
    }
  } catch (error) {
    for (const server of servers) server.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  let closing: Promise<void> | undefined;

  return {
    port,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    aedes,
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
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        const serversClosed = Promise.all(
          servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
        );
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await serversClosed;
        await Promise.allSettled([...inFlight]);
      })();
      return closing;
    },
  };
}

function isDiskLow(error: unknown): error is GatewayError {
  return isGatewayError(error) && error.code === 'GW_ERR_DISK_LOW';
}

/** The client certificate a device presented in the TLS handshake, as verified against the gateway CA. */
function presentedCertificate(socket: TLSSocket): PresentedCertificate | undefined {
  const peer = socket.getPeerCertificate();
  if (!peer?.fingerprint256) return undefined;
  const error = socket.authorizationError as Error | string | null | undefined;
  return {
    authorized: socket.authorized,
    fingerprint256: peer.fingerprint256,
    ...(error ? { authorizationError: typeof error === 'string' ? error : error.message } : {}),
  };
}
