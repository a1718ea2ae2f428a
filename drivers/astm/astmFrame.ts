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

/** Whether a frame must carry its checksum (E1381) or may come without one (docs/devices.md#link-options). */
export type ChecksumRule = 'required' | 'none';

/** Why a frame is refused: the coded error it is quarantined with, and the reason in words. */
export type FrameRefusal = {
  ok: false;
  code: 'GW_ERR_ASTM_FRAME_INVALID' | 'GW_ERR_ASTM_CHECKSUM_MISSING';
  reason: string;
};

export type FrameVerdict = { ok: true; frame: AstmFrame } | FrameRefusal;

/** Sum of the bytes modulo 256 as two uppercase hex digits. */
export function checksumOf(bytes: Uint8Array): string {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) % 256;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

export const isHexDigit = (byte: number | undefined): boolean =>
  byte !== undefined &&
  ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));

const invalid = (reason: string): FrameRefusal => ({ ok: false, code: 'GW_ERR_ASTM_FRAME_INVALID', reason });

/**
 * Checks one frame as received, from STX to the end of the line: frame
 * number, end mark and checksum. Trailing CR/LF are optional, because captured
 * analyzers end frames with CR LF, CR alone or LF alone. A frame with nothing
 * but the line end after its ETB/ETX has no checksum: refused with
 * GW_ERR_ASTM_CHECKSUM_MISSING, or read as it is when `checksum` is "none"
 * (a checksum that is there is still checked).
 */
export function parseFrame(raw: Uint8Array, checksum: ChecksumRule = 'required'): FrameVerdict {
  if (raw[0] !== STX) return invalid('frame does not start with STX');
  const markAt = raw.findIndex((byte, index) => index > 0 && (byte === ETX || byte === ETB));
  if (markAt < 0) return invalid('no ETB or ETX ends the frame');
  if (markAt < 2) return invalid('the frame ends before its frame number');
  const mark = raw[markAt];
  const digit = raw[1]!;
  if (digit < 0x30 || digit > 0x37)
    return invalid(`frame number byte 0x${digit.toString(16).padStart(2, '0')} is not 0-7`);
  let end = raw.length;
  while (end > markAt + 1 && (raw[end - 1] === CR || raw[end - 1] === LF)) end -= 1;
  const received = Buffer.from(raw.subarray(markAt + 1, end)).toString('latin1');
  if (received === '' && checksum === 'required')
    return {
      ok: false,
      code: 'GW_ERR_ASTM_CHECKSUM_MISSING',
      reason: `no checksum after ${mark === ETX ? 'ETX' : 'ETB'} (this port requires one: checksum "required")`,
    };
  if (received !== '') {
    const expected = checksumOf(raw.subarray(1, markAt + 1));
    if (received.length !== 2 || !raw.subarray(markAt + 1, end).every(isHexDigit))
      return invalid(`checksum ${JSON.stringify(received)} is not two hex digits (it should be ${expected})`);
    if (received.toUpperCase() !== expected)
      return invalid(`checksum ${JSON.stringify(received)} should be ${expected}`);
  }
  const text = Buffer.from(raw.subarray(2, markAt)).toString('latin1');
  if (raw.subarray(2, markAt).some((byte) => forbiddenInText.has(byte)))
    return invalid('control character (STX, ETX, EOT, ENQ, NAK or ETB) inside the frame text');
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
