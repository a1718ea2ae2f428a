import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  device: DeviceEnd,
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
  device: DeviceEnd,
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
