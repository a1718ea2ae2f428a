import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { GatewayError } from '../../gateway/errors.ts';
import type { Hl7Settings } from './hl7Settings.ts';
import { createHl7Protocol, type Hl7Services } from './hl7Session.ts';

export interface Hl7Listener {
  port: number;
  close(): Promise<void>;
}

/** HL7 v2 over MLLP on a TCP port (hl7Session.ts does the protocol); senders connect, the gateway listens. */
export async function startHl7Listener(
  settings: Hl7Settings,
  services: Hl7Services,
  logger: Logger,
): Promise<Hl7Listener> {
  const protocol = createHl7Protocol(settings, services, logger);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const origin = `hl7:${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const session = protocol.openSession(origin, {
      write: (bytes) => socket.write(bytes),
      destroy: () => socket.destroy(),
      isOpen: () => !socket.destroyed,
    });
    socket.on('data', (chunk) => session.receive(chunk));
    socket.on('error', (error) => logger.debug({ err: error, origin }, 'HL7 connection error'));
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new GatewayError('GW_ERR_PORT_IN_USE', [
              `${settings.host}:${settings.port} (HL7 MLLP)`,
              error.message,
            ])
          : error,
      ),
    );
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'HL7 MLLP listener started');
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
