/**
 * ASTM E1381 (CLSI LIS1-A) low-level frames, as pure functions.
 *
 *   <STX> FN text <ETB | ETX> C1 C2 <CR> <LF>
 *
 * FN is the frame number, "0".."7" (1, 2, ... 7, 0, 1 ...); the checksum is
 * the sum of the bytes from FN through ETB/ETX modulo 256, as two uppercase
 * hex digits (E1381 section 6.3.4). An intermediate frame ends with ETB, the
 * last frame of a record with ETX.
 */

export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
export const ETB = 0x17;
export const CR = 0x0d;
export const LF = 0x0a;

/** E1381 restricted characters that cannot be frame text (they would end or confuse the frame). */
const forbiddenInText = new Set([STX, ETX, EOT, ENQ, NAK, ETB]);

export type AstmFrame = {
  frameNumber: number;
  /** The frame's text, between FN and ETB/ETX, as bytes (latin1: analyzers send 8-bit text). */
  text: string;
  /** ETX: the frame ends a record (or a message); ETB: the text continues in the next frame. */
  final: boolean;
};

export type FrameVerdict = { ok: true; frame: AstmFrame } | { ok: false; reason: string };

/** Sum of the bytes modulo 256 as two uppercase hex digits. */
export function checksumOf(bytes: Uint8Array): string {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) % 256;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Checks one frame as received, from STX to the end of the line: frame
 * number, end mark and checksum. Trailing CR/LF are optional, because captured
 * analyzers end frames with CR LF, CR alone or LF alone.
 */
export function parseFrame(raw: Uint8Array): FrameVerdict {
  if (raw[0] !== STX) return { ok: false, reason: 'frame does not start with STX' };
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === CR || raw[end - 1] === LF)) end -= 1;
  const markAt = end - 3;
  const mark = raw[markAt];
  if (markAt < 2 || (mark !== ETX && mark !== ETB))
    return { ok: false, reason: 'no ETB or ETX followed by a two-digit checksum' };
  const digit = raw[1]!;
  if (digit < 0x30 || digit > 0x37)
    return { ok: false, reason: `frame number byte 0x${digit.toString(16).padStart(2, '0')} is not 0-7` };
  const expected = checksumOf(raw.subarray(1, markAt + 1));
  const received = Buffer.from(raw.subarray(markAt + 1, markAt + 3)).toString('latin1');
  if (received.toUpperCase() !== expected)
    return { ok: false, reason: `checksum ${JSON.stringify(received)} should be ${expected}` };
  const text = Buffer.from(raw.subarray(2, markAt)).toString('latin1');
  if (raw.subarray(2, markAt).some((byte) => forbiddenInText.has(byte)))
    return { ok: false, reason: 'control character (STX, ETX, EOT, ENQ, NAK or ETB) inside the frame text' };
  return { ok: true, frame: { frameNumber: digit - 0x30, text, final: mark === ETX } };
}

/** A frame as a sender writes it (the analyzer's side in tests, and fuzzing's round trip). */
export function encodeFrame(frame: AstmFrame): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x30 + frame.frameNumber]),
    Buffer.from(frame.text, 'latin1'),
    Buffer.from([frame.final ? ETX : ETB]),
  ]);
  return Buffer.concat([
    Buffer.from([STX]),
    body,
    Buffer.from(checksumOf(body), 'latin1'),
    Buffer.from([CR, LF]),
  ]);
}

/** The frame number after `frameNumber`: 1..7, 0, 1 ... */
export const nextFrameNumber = (frameNumber: number): number => (frameNumber + 1) % 8;
