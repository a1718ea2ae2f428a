import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import type { TcpRelay } from '../../test/harness/tcpRelay.ts';

/**
 * A TCP relay that can do to a link what a clinic's uplink does: cut it
 * (both sides closed), stall it (nothing passes, every connection stays
 * open, then what was held flows again), slow it to a byte rate, and lose the
 * broker's replies (a produce request arrives, its acknowledgement never
 * does). It is a TcpRelay, so test/harness/proxiedKafka.ts can put it between
 * every Kafka client and the broker.
 */
export interface FaultyLink extends TcpRelay {
  /** Holds every byte in both directions for `ms`, connections open, then lets them through. */
  stall(ms: number): Promise<void>;
  /** Bytes per second in each direction; undefined: as fast as the machine goes. */
  rateBytesPerSecond: number | undefined;
  /** Connections relayed so far (each reconnect of a client counts). */
  readonly connections: number;
}

/** How often a slowed pipe releases its share of bytes, in milliseconds. */
const tickMs = 50;

/** One direction of one connection: bytes queue here while the link is stalled or slowed. */
function pipeTo(target: Socket, link: { stalled: boolean; rateBytesPerSecond: number | undefined }) {
  const queue: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    if (target.destroyed) return;
    if (link.stalled) return;
    let budget =
      link.rateBytesPerSecond === undefined
        ? Number.POSITIVE_INFINITY
        : (link.rateBytesPerSecond * tickMs) / 1000;
    while (queue.length > 0 && budget > 0) {
      const chunk = queue[0]!;
      if (chunk.length <= budget) {
        queue.shift();
        budget -= chunk.length;
        target.write(chunk);
      } else {
        const part = Math.max(1, Math.floor(budget));
        target.write(chunk.subarray(0, part));
        queue[0] = chunk.subarray(part);
        budget = 0;
      }
    }
    if (queue.length > 0) timer = setTimeout(pump, tickMs);
  };
  return {
    push(chunk: Buffer) {
      queue.push(chunk);
      if (!timer) pump();
    },
    /** Called when a stall ends or the rate changes. */
    resume() {
      if (!timer) pump();
    },
    stop() {
      if (timer) clearTimeout(timer);
      queue.length = 0;
    },
  };
}

export async function startFaultyLink(targetPort: number, listenPort = 0): Promise<FaultyLink> {
  type Pipe = ReturnType<typeof pipeTo>;
  const pairs = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>();
  let droppedBytes = 0;
  let connections = 0;
  const state = { stalled: false, rateBytesPerSecond: undefined as number | undefined };
  const resumeAll = () => {
    for (const pair of pairs) for (const pipe of pair.pipes) pipe.resume();
  };
  const link: FaultyLink = {
    port: 0,
    dropReplies: false,
    onClientBytes: undefined,
    get droppedBytes() {
      return droppedBytes;
    },
    get connections() {
      return connections;
    },
    get rateBytesPerSecond() {
      return state.rateBytesPerSecond;
    },
    set rateBytesPerSecond(rate) {
      state.rateBytesPerSecond = rate;
      resumeAll();
    },
    cutAll() {
      for (const pair of pairs) {
        for (const pipe of pair.pipes) pipe.stop();
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
    },
    async stall(ms) {
      state.stalled = true;
      await new Promise((resolve) => setTimeout(resolve, ms));
      state.stalled = false;
      resumeAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        link.cutAll();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const toUpstream = pipeTo(upstream, state);
    const toClient = pipeTo(client, state);
    const pair = { client, upstream, pipes: [toUpstream, toClient] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (link.onClientBytes?.(chunk.length) === 'cut') link.cutAll();
      else toUpstream.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (link.dropReplies) droppedBytes += chunk.length;
      else toClient.push(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      for (const pipe of pair.pipes) pipe.stop();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  link.port = (server.address() as AddressInfo).port;
  return link;
}
