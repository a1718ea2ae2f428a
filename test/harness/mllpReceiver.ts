import { createServer, type Server, type Socket } from 'node:net';
import { fieldValue, type Hl7Message, parseHl7 } from '../../drivers/hl7/hl7Message.ts';
import { deframe, frame } from '../../drivers/hl7/mllpFraming.ts';

/** How the receiver answers the nth message (0-based): an MSA-1 code, or nothing at all. */
export type ReceiverAnswer = 'AA' | 'AE' | 'AR' | 'CA' | 'silent';

export interface ReceivedOrder {
  controlId: string;
  message: Hl7Message;
  text: string;
}

/**
 * A laboratory system's MLLP server for tests, over real TCP on 127.0.0.1:
 * keeps every message it receives and answers each with an original-mode
 * ACK (MSA-1 as `answer` says, MSA-2 the message's control id), or not at all.
 */
export async function startMllpReceiver(
  port = 0,
  answer: (message: Hl7Message, index: number) => ReceiverAnswer = () => 'AA',
) {
  const received: ReceivedOrder[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const result = deframe(pending, chunk, 1 << 20);
      pending = result.pending;
      for (const item of result.items) {
        if (item.kind !== 'frame') continue;
        const text = item.payload.toString('utf8');
        const parsed = parseHl7(text);
        if (!parsed.ok) throw new Error(`not HL7: ${parsed.reason}`);
        const controlId = fieldValue(parsed.message.segments[0], 10);
        const code = answer(parsed.message, received.length);
        received.push({ controlId, message: parsed.message, text });
        if (code === 'silent') continue;
        const reason = code === 'AA' || code === 'CA' ? '' : 'test code unknown here';
        socket.write(
          frame(
            `MSH|^~\\&|LIS||NILECARE||20261207083100||ACK|A${received.length}|P|2.5.1\rMSA|${code}|${controlId}|${reason}\r`,
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    received,
    /** Control ids received, in order. */
    controlIds: () => received.map((order) => order.controlId),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type MllpReceiver = Awaited<ReturnType<typeof startMllpReceiver>>;
