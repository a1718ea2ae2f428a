import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';

export interface PlainBroker {
  port: number;
  close(): Promise<void>;
}

/**
 * The broker with nothing of the gateway: a bare `new Aedes()` (no hooks, in-memory
 * persistence, no storage of readings) on its own TCP server. Nagle is off as on
 * the gateway's MQTT server, so the two differ only in what the gateway adds.
 */
export async function startPlainBroker(): Promise<PlainBroker> {
  const aedes = new Aedes();
  await aedes.listen();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await closed;
    },
  };
}
