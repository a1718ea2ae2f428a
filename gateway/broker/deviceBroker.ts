import { Aedes } from 'aedes';
import { authenticateDevice } from './authenticateDevice.ts';
import { type BrokerServices, createBrokerContext } from './brokerContext.ts';
import { openDeviceListeners } from './deviceListeners.ts';
import { createLoginGuard, type DeviceLoginLimits, defaultDeviceLoginLimits } from './loginGuard.ts';
import { watchConnectTimeouts } from './connectTimeout.ts';
import { authorizeDevicePublish } from './publishIngest.ts';
import { trackSessions } from './sessionLifecycle.ts';

/** The gateway's services the handlers share (brokerContext.ts), and where to listen. */
export interface DeviceBrokerOptions extends BrokerServices {
  /** TCP port for MQTT (0 picks a free one). */
  port: number;
  host: string;
  /**
   * MQTT over TLS beside the plain port (a provisioned gateway: its certificate
   * from the local CA). It asks each device for a client certificate and
   * verifies it against `ca`; a device without one logs in with its password.
   */
  tls?: { port: number; host: string; key: Buffer; cert: Buffer; ca: Buffer };
  /** Listen on the plain MQTT port too (turn off once every device speaks TLS). */
  plain?: boolean;
  /** A connection that sends no CONNECT within this long is closed, in milliseconds (default 10 s). */
  connectTimeoutMs?: number;
  /** Failed-login limits and the password checks run at once (loginGuard.ts). */
  login?: DeviceLoginLimits;
}

/** 10 s: a device sends CONNECT as soon as its TCP connection is up; aedes' own default is 30 s. */
export const defaultConnectTimeoutMs = 10_000; // ms

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
 * The embedded MQTT broker for clinic devices, wired from its handlers as
 * aedes is: CONNECT (authenticateDevice.ts, deciding by connectVerdict.ts),
 * PUBLISH (publishIngest.ts: a reading is committed before its PUBACK),
 * SUBSCRIBE (below), the sessions' start and end (sessionLifecycle.ts) and
 * the TCP and TLS listeners (deviceListeners.ts).
 */
export async function startDeviceBroker(options: DeviceBrokerOptions): Promise<DeviceBroker> {
  const ctx = createBrokerContext(options);
  const { facility, sessions } = ctx;
  const guard = createLoginGuard(ctx, options.login ?? defaultDeviceLoginLimits);
  const connectTimeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;

  const aedes = new Aedes({
    // Device identities come from the device registry, not from client ids; 64 allows
    // every id of up to 23 characters a server must accept [MQTT-3.1.3-5].
    maxClientsIdLength: 64,
    // A socket that never sends CONNECT is closed, so idle sockets cannot pile up (docs/security.md).
    connectTimeout: connectTimeoutMs,
    authenticate: authenticateDevice(ctx, guard),
    authorizePublish: authorizeDevicePublish(ctx),
    // A device subscribes only under its own topics; anything else is granted 0x80,
    // Failure (MQTT 3.1.1 section 3.9.3).
    authorizeSubscribe(client, subscription, callback) {
      const session = sessions.get(client);
      const own = session ? `clinic/${facility.facilityId}/devices/${session.deviceId}/` : undefined;
      callback(null, own && subscription.topic.startsWith(own) ? subscription : null);
    },
  });
  const lifecycle = trackSessions(aedes, ctx);
  watchConnectTimeouts(aedes, guard, connectTimeoutMs);
  const closeAedes = () => new Promise<void>((resolve) => aedes.close(() => resolve()));

  await aedes.listen();
  const listeners = await openDeviceListeners(aedes, ctx, {
    ...(options.plain !== false ? { plain: { port: options.port, host: options.host } } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  }).catch(async (error: unknown) => {
    await closeAedes();
    throw error;
  });

  let closing: Promise<void> | undefined;
  return {
    port: listeners.port,
    ...(listeners.tlsPort !== undefined ? { tlsPort: listeners.tlsPort } : {}),
    aedes,
    disconnectRevoked: (deviceId) => lifecycle.disconnectRevoked(deviceId),
    close() {
      closing ??= (async () => {
        lifecycle.shutDown();
        const listenersClosed = listeners.close();
        await closeAedes();
        await listenersClosed;
        guard.close();
        await ctx.settled();
      })();
      return closing;
    },
  };
}
