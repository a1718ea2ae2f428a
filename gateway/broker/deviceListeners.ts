import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Aedes } from 'aedes';
import type { PresentedCertificate } from '../devices/certificateLogin.ts';
import { GatewayError } from '../errors.ts';
import { serverTlsPolicy } from '../provisioning/tlsMaterial.ts';
import type { BrokerContext } from './brokerContext.ts';
import { GuardedConnection } from './guardedConnection.ts';
import { packetRefusal } from './publishIngest.ts';

export interface ListenerOptions {
  /** Plain MQTT: TCP port (0 picks a free one) and address; undefined when it is turned off. */
  plain?: { port: number; host: string };
  /** MQTT over TLS with the gateway's certificate, asking each device for a client certificate. */
  tls?: { port: number; host: string; key: Buffer; cert: Buffer; ca: Buffer };
}

export interface DeviceListeners {
  /** The plain MQTT port, or 0 when it is turned off. */
  port: number;
  tlsPort?: number;
  /** Stops accepting connections; resolves once each listener has closed. */
  close(): Promise<void>;
}

/**
 * The TCP and TLS listeners that hand each device connection to aedes,
 * through a GuardedConnection that measures every packet first. A port in
 * use is GW_ERR_PORT_IN_USE, naming it; a listener already open is closed.
 */
export async function openDeviceListeners(
  aedes: Aedes,
  ctx: BrokerContext,
  options: ListenerOptions,
): Promise<DeviceListeners> {
  const { maxPacketBytes, track, refuse } = ctx;
  const onSocket = (socket: Socket, clientCertificate?: PresentedCertificate) => {
    socket.setNoDelay(true);
    const connection = new GuardedConnection(socket, maxPacketBytes, (verdict, guarded) => {
      const { code, reason } = packetRefusal(verdict, maxPacketBytes);
      track(refuse(code, guarded.deviceId ?? guarded.remoteAddress ?? 'unknown', reason));
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
    if (options.plain)
      port = await listen(createServer(onSocket), options.plain.port, options.plain.host, 'MQTT');
    if (options.tls) {
      const { key, cert, ca } = options.tls;
      // requestCert without rejectUnauthorized: a device with no certificate still
      // gets to CONNECT with its password, and a refused certificate is answered
      // with CONNACK 5 and counted, not a bare TLS alert the device cannot explain.
      const tlsServer = createTlsServer(
        { key, cert, ca, ...serverTlsPolicy, requestCert: true, rejectUnauthorized: false },
        onTlsSocket,
      );
      tlsPort = await listen(tlsServer, options.tls.port, options.tls.host, 'MQTT over TLS');
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }

  return {
    port,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    close: async () => {
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
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
