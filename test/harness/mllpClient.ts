import { connect, createServer, type Socket } from 'node:net';
import { fieldValue, parseHl7 } from '../../drivers/hl7/hl7Message.ts';
import { deframe } from '../../drivers/hl7/mllpFraming.ts';

export interface Ack {
  code: string;
  controlId: string;
  reason: string;
  errorCode: string;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real MLLP client over TCP: writes bytes as told, reads ACK frames as they come. */
export async function mllpClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const acks: Ack[] = [];
  const waiters: (() => void)[] = [];
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    const result = deframe(pending, chunk, 1 << 20);
    pending = result.pending;
    for (const item of result.items) {
      if (item.kind !== 'frame') continue;
      const parsed = parseHl7(item.payload.toString('utf8'));
      if (!parsed.ok) throw new Error(`ACK is not HL7: ${parsed.reason}`);
      const msa = parsed.message.segments.find((s) => s.name === 'MSA');
      const err = parsed.message.segments.find((s) => s.name === 'ERR');
      acks.push({
        code: fieldValue(msa, 1),
        controlId: fieldValue(msa, 2),
        reason: fieldValue(msa, 3),
        errorCode: fieldValue(err, 3),
      });
      for (const wake of waiters.splice(0)) wake();
    }
  });
  return {
    acks,
    /** Writes each chunk as its own socket write, waiting for it to drain. */
    async write(...chunks: Buffer[]) {
      for (const chunk of chunks) await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
    },
    /** Resolves once `count` ACKs have arrived in total. */
    async ackCount(count: number, timeoutMs = 10_000): Promise<Ack[]> {
      const deadline = Date.now() + timeoutMs;
      while (acks.length < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${acks.length} of ${count} ACKs within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return acks.slice(0, count);
    },
    close: () => socket.destroy(),
  };
}
