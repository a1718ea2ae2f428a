import { connect, type Socket } from 'node:net';
import { waitFor } from './waitFor.ts';

/**
 * An analyzer's LIS port over TCP, written from E1381 itself and not from
 * the gateway's code (its own framing and checksum), so that a test proves
 * the gateway speaks the standard and not merely agrees with itself. It
 * sends as an instrument (ENQ, frames, EOT) and receives as one (ACK or
 * NAK each frame, the records back).
 */
const STX = 0x02;
const ETX = 0x03;
const EOT = 0x04;
const ENQ = 0x05;
const ACK = 0x06;
const NAK = 0x15;
const ETB = 0x17;

/** Sum of the bytes from the frame number to ETB/ETX, modulo 256, two uppercase hex digits (E1381). */
function checksum(bytes: Buffer): string {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** One record per frame (each under 240 characters in these tests), numbered from 1. */
export function instrumentFrames(records: readonly string[]): Buffer[] {
  return records.map((record, index) => {
    const body = Buffer.from(`${(index + 1) % 8}${record}\r\x03`, 'latin1');
    return Buffer.concat([Buffer.from([STX]), body, Buffer.from(`${checksum(body)}\r\n`, 'latin1')]);
  });
}

export interface ReceivedFrame {
  frameNumber: number;
  text: string;
  final: boolean;
  checksumOk: boolean;
  /** Bytes from STX to LF, to compare a repeat with the first sending. */
  raw: Buffer;
}

export interface E1381Instrument {
  /** Everything the gateway wrote so far. */
  received(): Buffer;
  write(bytes: Buffer | number[]): Promise<void>;
  /** Sends ENQ, each frame waiting for its ACK, then EOT (unless `then` says otherwise). */
  transmit(records: readonly string[], options?: { eot?: boolean }): Promise<void>;
  /** Waits for the gateway's ENQ (after byte `from`); resolves with its offset in received(). */
  awaitEnq(from: number, timeoutMs?: number): Promise<number>;
  /**
   * Answers the gateway's transmission that starts with the ENQ at `enqAt`:
   * ACK, then each frame answered by `answer` (ACK by default), until EOT.
   */
  receive(
    enqAt: number,
    answer?: (frame: ReceivedFrame, index: number) => 'ACK' | 'NAK',
  ): Promise<ReceivedFrame[]>;
  close(): void;
}

export async function connectInstrument(port: number): Promise<E1381Instrument> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  const write = (bytes: Buffer | number[]) =>
    new Promise<void>((resolve, reject) =>
      socket.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve())),
    );
  /** The first ACK or NAK after `from`. */
  const answerAfter = (from: number, timeoutMs = 20_000) =>
    waitFor(
      'the gateway to answer ACK or NAK',
      () => {
        const at = received.findIndex((byte, index) => index >= from && (byte === ACK || byte === NAK));
        return at < 0 ? undefined : received[at];
      },
      { timeoutMs },
    );

  async function exchange(bytes: Buffer | number[]): Promise<void> {
    const from = received.length;
    await write(bytes);
    const answer = await answerAfter(from);
    if (answer !== ACK) throw new Error(`the gateway answered 0x${answer?.toString(16)} where ACK was due`);
  }

  return {
    received: () => received,
    write,
    async transmit(records, { eot = true } = {}) {
      await exchange([ENQ]);
      for (const frame of instrumentFrames(records)) await exchange(frame);
      if (eot) await write([EOT]);
    },
    awaitEnq: (from, timeoutMs = 20_000) =>
      waitFor(
        'the gateway to send ENQ',
        () => {
          const at = received.indexOf(ENQ, from);
          return at < 0 ? undefined : at;
        },
        { timeoutMs },
      ),
    async receive(enqAt, answer = () => 'ACK') {
      const frames: ReceivedFrame[] = [];
      let cursor = enqAt + 1;
      await write([ACK]);
      for (;;) {
        const next = await waitFor(
          'a frame or EOT from the gateway',
          () => {
            const start = received.findIndex(
              (byte, index) => index >= cursor && (byte === STX || byte === EOT),
            );
            if (start < 0) return undefined;
            if (received[start] === EOT) return { eot: true as const, end: start + 1 };
            const lf = received.indexOf(0x0a, start);
            return lf < 0 ? undefined : { eot: false as const, start, end: lf + 1 };
          },
          { timeoutMs: 20_000 },
        );
        cursor = next.end;
        if (next.eot) return frames;
        const raw = Buffer.from(received.subarray(next.start, next.end));
        const mark = raw.findIndex((byte) => byte === ETX || byte === ETB);
        const frame: ReceivedFrame = {
          frameNumber: raw[1]! - 0x30,
          text: raw.subarray(2, mark).toString('latin1'),
          final: raw[mark] === ETX,
          checksumOk:
            raw.subarray(mark + 1, mark + 3).toString('latin1') === checksum(raw.subarray(1, mark + 1)),
          raw,
        };
        const reply = frame.checksumOk ? answer(frame, frames.length) : 'NAK';
        if (reply === 'ACK') frames.push(frame);
        await write([reply === 'ACK' ? ACK : NAK]);
      }
    },
    close: () => socket.end(),
  };
}

/** The records a received transmission carries (frames joined, split at CR). */
export const recordsOfFrames = (frames: readonly ReceivedFrame[]): string[] =>
  frames
    .map((frame) => frame.text)
    .join('')
    .split('\r')
    .filter((record) => record !== '');
