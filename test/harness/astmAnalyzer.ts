import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AstmFrame, encodeFrame, ETB, ETX, parseFrame } from '../../drivers/astm/astmFrame.ts';
import type { DeviceEnd } from './ptyPair.ts';

const ENQ = 0x05;
const EOT = 0x04;
const ACK = 0x06;
const NAK = 0x15;
const STX = 0x02;

/**
 * The shared real-analyzer captures (`../shared/testdata/astm` from the
 * repository root, see its README), never copied. A git worktree one level
 * deeper than the main checkout finds them one folder further up.
 */
export const astmCaptureDir =
  ['../../../shared/testdata/astm/', '../../../../shared/testdata/astm/']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(dir)) ??
  fileURLToPath(new URL('../../../shared/testdata/astm/', import.meta.url));

export function astmCapture(name: string): Buffer {
  return readFileSync(`${astmCaptureDir}${name}`);
}

/**
 * A capture cut at each STX into the chunks an analyzer sends one at a time,
 * waiting for ACK after each: joined together they are the file, byte for byte.
 */
export function framesOf(capture: Buffer): Buffer[] {
  const starts: number[] = [];
  capture.forEach((byte, index) => {
    if (byte === STX) starts.push(index);
  });
  if (starts[0] !== 0) starts.unshift(0);
  return starts.map((start, index) => capture.subarray(start, starts[index + 1] ?? capture.length));
}

/** A capture's frames numbered again with `numbers` (checksums recomputed), as a faulty analyzer sends them. */
export function renumberFrames(frames: readonly Buffer[], numbers: readonly number[]): Buffer[] {
  return frames.map((raw, index) => {
    const verdict = parseFrame(raw);
    if (!verdict.ok) throw new Error(`frame ${index} of the capture is not valid: ${verdict.reason}`);
    return encodeFrame({ ...verdict.frame, frameNumber: numbers[index] ?? verdict.frame.frameNumber });
  });
}

/**
 * Frame numbers as a haematology analyzer seen in the field sends them: 1-5,
 * then 1, 1, 1, then on from 4 (4, 5, 6, 7, 0, 1 ...), for `count` frames.
 */
export function restartingFrameNumbers(count: number): number[] {
  const start = [1, 2, 3, 4, 5, 1, 1, 1];
  return Array.from({ length: count }, (_, index) => start[index] ?? (index - 8 + 4) % 8);
}

/** A frame as an analyzer without checksums sends it: STX FN text ETX/ETB, then `after` (CR LF, or nothing). */
export function frameWithoutChecksum(frame: AstmFrame, after = '\r\n'): Buffer {
  return Buffer.concat([
    Buffer.from([0x02, 0x30 + frame.frameNumber]),
    Buffer.from(frame.text, 'latin1'),
    Buffer.from([frame.final ? ETX : ETB]),
    Buffer.from(after, 'latin1'),
  ]);
}

/** The analyzer's end of the line, a pty or a TCP connection: what `playAnalyzer` writes to and reads. */
export type AnalyzerLine = Pick<DeviceEnd, 'write' | 'received'>;

/** An analyzer whose LIS port connects to the gateway's TCP listener on `port`. */
export async function connectTcpAnalyzer(port: number): Promise<AnalyzerLine & { close(): void }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  return {
    received: () => received,
    write: (bytes) =>
      new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve()))),
    close: () => socket.end(),
  };
}

export interface Replay {
  /** The reply to each frame, in order (after retries), and to the ENQ. */
  replies: ('ACK' | 'NAK' | 'none')[];
  enqReply: 'ACK' | 'NAK' | 'none';
}

/**
 * Plays the analyzer's side of E1381 over a device end: ENQ, then each frame,
 * resending a NAKed frame up to `retries` times (E1381 allows 6), then EOT.
 * `replyTimeoutMs` stands for the standard's 15 s sender timeout.
 */
export async function playAnalyzer(
  device: AnalyzerLine,
  frames: readonly Buffer[],
  { retries = 6, replyTimeoutMs = 5000, sendEot = true } = {},
): Promise<Replay> {
  const replies: Replay['replies'] = [];
  const enqReply = await send(device, Buffer.from([ENQ]), replyTimeoutMs);
  if (enqReply !== 'ACK') return { replies, enqReply };
  for (const frame of frames) {
    let reply = await send(device, frame, replyTimeoutMs);
    for (let attempt = 0; reply === 'NAK' && attempt < retries - 1; attempt += 1)
      reply = await send(device, frame, replyTimeoutMs);
    replies.push(reply);
    if (reply !== 'ACK') break;
  }
  if (sendEot) await device.write(Buffer.from([EOT]));
  return { replies, enqReply };
}

/** Writes bytes and waits for one ACK or NAK back (other bytes are skipped). */
export async function send(
  device: AnalyzerLine,
  bytes: Buffer,
  timeoutMs: number,
): Promise<'ACK' | 'NAK' | 'none'> {
  let from = device.received().length;
  await device.write(bytes);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const received = device.received();
    for (; from < received.length; from += 1) {
      if (received[from] === ACK) return 'ACK';
      if (received[from] === NAK) return 'NAK';
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return 'none';
}
