import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { EventDraft } from '../kernel/events/envelope.ts';
import { deviceConnectedDraft, deviceDisconnectedDraft } from '../kernel/events/deviceSessionDrafts.ts';
import type { DriverContext, ProtocolDriver, ProtocolSession, TcpListenerConfig } from './driverTypes.ts';
import { GatewayError } from '../gateway/pluginApi.ts';

export interface RunningListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A TCP listener for devices that connect over the network (an analyzer's
 * LIS port set to "host", an HL7 sender): each connection gets its own
 * protocol session, and device_connected / device_disconnected.
 */
export async function runTcpListener(
  config: TcpListenerConfig & Record<string, unknown>,
  driver: ProtocolDriver,
  context: DriverContext,
): Promise<RunningListener> {
  const log = context.logger.child({ deviceId: config.deviceId, protocol: config.protocol });
  const sockets = new Map<Socket, ProtocolSession>();
  const pending = new Set<Promise<unknown>>();
  const transport = driver.tcpTransport ?? 'astm-tcp';
  let stopping = false;

  function recordSessionEvent(draft: EventDraft): void {
    if (!config.deviceId) return;
    const done = context.recorder
      .record({ draft, channel: 'internal', origin: config.deviceId })
      .catch((error: Error) =>
        log.error({ err: error, eventType: draft.eventType }, 'connection event not recorded'),
      );
    pending.add(done);
    done.finally(() => pending.delete(done));
  }

  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const describe = `tcp ${socket.remoteAddress}:${socket.remotePort} -> ${config.port}`;
    const at = () => context.clock().toISOString();
    context.metrics.portsOpen.inc({ protocol: config.protocol });
    if (config.deviceId)
      recordSessionEvent(
        deviceConnectedDraft(
          { deviceId: config.deviceId, transport: transport, port: describe },
          at(),
          context.facility,
          context.newId,
        ),
      );
    const session = driver.openSession(
      {
        describe,
        transport: 'tcp',
        write: (bytes) =>
          new Promise((resolve, reject) => {
            if (socket.destroyed) return reject(new Error('connection closed'));
            socket.write(bytes, (error) => (error ? reject(error) : resolve()));
          }),
        hangUp: () => socket.destroy(),
      },
      config,
      context,
    );
    sockets.set(socket, session);
    let failed = false;
    socket.on('data', (chunk: Buffer) => {
      try {
        session.receive(chunk);
      } catch (error) {
        log.error({ err: error }, 'driver failed on input; the connection is closed');
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      failed = true;
      log.debug({ err: error.message }, 'device connection error');
    });
    socket.once('close', () => {
      sockets.delete(socket);
      context.metrics.portsOpen.dec({ protocol: config.protocol });
      void session.close();
      if (config.deviceId)
        recordSessionEvent(
          deviceDisconnectedDraft(
            { deviceId: config.deviceId, transport: transport },
            stopping ? 'gateway_shutdown' : failed ? 'connection_lost' : 'clean',
            at(),
            context.facility,
            context.newId,
          ),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new GatewayError('GW_ERR_PORT_IN_USE', [
              `${config.host}:${config.port} (${config.protocol})`,
              error.message,
            ])
          : error,
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: config.host, port }, 'listening for devices');
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.allSettled([...sockets.values()].map((session) => session.close()));
        for (const socket of sockets.keys()) socket.destroy();
        await closed;
        await Promise.allSettled([...pending]);
      })();
      return closing;
    },
  };
}
