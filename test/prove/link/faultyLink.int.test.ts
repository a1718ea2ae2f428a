import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultyLink, startFaultyLink } from '../../../prove/link/faultyLink.ts';
import { waitFor } from '../../harness/waitFor.ts';

// The link campaign's proxy against real sockets: an echo server behind it.
let echo: Server;
let link: FaultyLink;

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  link = await startFaultyLink((echo.address() as AddressInfo).port);
});

afterAll(async () => {
  await link.close();
  await new Promise((resolve) => echo.close(resolve));
});

async function client() {
  const socket: Socket = connect({ host: '127.0.0.1', port: link.port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, bytes: () => Buffer.concat(received).length, closed };
}

describe('the link campaign proxy', () => {
  it('holds every byte while stalled, connection open, and delivers them when the stall ends', async () => {
    const { socket, bytes } = await client();
    const stall = link.stall(600);
    socket.write('x'.repeat(100));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bytes()).toBe(0);
    expect(socket.destroyed).toBe(false);
    await stall;
    await waitFor('the echo after the stall', () => bytes() === 100, { timeoutMs: 2000 });
    socket.destroy();
  });

  it('paces bytes to the rate it is given', async () => {
    const { socket, bytes } = await client();
    link.rateBytesPerSecond = 10_000;
    const started = Date.now();
    socket.write(Buffer.alloc(5000));
    await waitFor('5000 bytes through a 10 kB/s link, both ways', () => bytes() === 5000, {
      timeoutMs: 5000,
    });
    link.rateBytesPerSecond = undefined;
    // 5 kB each way at 10 kB/s: at least 0.4 s (ticks of 50 ms), not the few ms of a free link.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    socket.destroy();
  });

  it('drops the replies while told to, and closes both sides on a cut', async () => {
    const { socket, bytes, closed } = await client();
    link.dropReplies = true;
    socket.write('lost');
    await waitFor('the reply to be dropped', () => link.droppedBytes >= 4, { timeoutMs: 2000 });
    expect(bytes()).toBe(0);
    link.dropReplies = false;
    link.cutAll();
    await closed;
    expect(link.connections).toBeGreaterThanOrEqual(3);
  });
});
