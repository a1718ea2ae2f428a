import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay between MQTT clients and the gateway's broker, for tests of a
 * lossy link: it can stop passing the broker's bytes to the client (a PUBACK
 * that never arrives) and cut every connection (the link drops), while the
 * client and the broker on either side stay real.
 */
export interface TcpRelay {
  port: number;
  /** While true, bytes from the broker to the client are dropped. */
  dropReplies: boolean;
  /** Bytes from the broker dropped so far. */
  readonly droppedBytes: number;
  /**
   * Sees each chunk the client sends before it is passed on; answering `cut`
   * cuts every connection instead (the chunk never arrives): a link that
   * drops in the middle of a request.
   */
  onClientBytes: ((bytes: number) => 'cut' | undefined) | undefined;
  /** Destroys every relayed connection, both sides. */
  cutAll(): void;
  close(): Promise<void>;
}

export interface TcpRelayOptions {
  /** Port to listen on (0: a free one); a fixed one lets a client configured earlier find the relay later. */
  listenPort?: number;
  targetHost?: string;
}

export async function startTcpRelay(targetPort: number, options: TcpRelayOptions = {}): Promise<TcpRelay> {
  const { listenPort = 0, targetHost = '127.0.0.1' } = options;
  const pairs = new Set<[Socket, Socket]>();
  let droppedBytes = 0;
  const relay = {
    port: 0,
    dropReplies: false,
    onClientBytes: undefined as TcpRelay['onClientBytes'],
    get droppedBytes() {
      return droppedBytes;
    },
    cutAll() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        relay.cutAll();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (relay.onClientBytes?.(chunk.length) === 'cut') relay.cutAll();
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (relay.dropReplies) droppedBytes += chunk.length;
      else client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  relay.port = (server.address() as AddressInfo).port;
  return relay;
}
