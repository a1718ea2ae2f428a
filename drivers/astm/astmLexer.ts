import { ACK, CR, ENQ, EOT, ETB, ETX, isHexDigit, LF, NAK, STX } from './astmFrame.ts';

/** What the bytes on an ASTM line are, before any protocol state is applied. */
export type LinkToken =
  | { kind: 'enq' | 'eot' | 'ack' | 'nak' }
  /** Bytes from STX to the end of the frame (its checksum if it has one, or the end of the line for a broken one). */
  | { kind: 'frame'; raw: Buffer }
  /** Bytes outside any frame that mean nothing in E1381. */
  | { kind: 'noise'; raw: Buffer };

export interface LexResult {
  tokens: LinkToken[];
  /** The start of a frame not complete yet; give it back with the next chunk. */
  pending: Buffer;
}

const singles: Record<number, LinkToken> = {
  [ENQ]: { kind: 'enq' },
  [EOT]: { kind: 'eot' },
  [ACK]: { kind: 'ack' },
  [NAK]: { kind: 'nak' },
};

/**
 * Splits a byte stream into link tokens (pure). A frame ends after the two
 * hex digits of its checksum that follow its ETB/ETX (E1381-02 6.3.3); CR and LF
 * between frames are the frame's line end and are dropped. When what follows
 * ETB/ETX is not a hex digit (CR, LF, EOT, ENQ, STX: a sender that sends no
 * checksum) the frame ends at its ETB/ETX, so that byte is read as what it is
 * and the frame is answered at once. A frame with no ETB/ETX ends at LF, at
 * the next STX, ENQ or EOT, or at `maxFrameBytes`, and is returned as a frame
 * for the protocol to refuse. Analyzers send frames much longer than E1381's
 * 247 bytes (a whole message in one frame), so the limit is generous.
 */
export function lexLink(pending: Buffer, chunk: Buffer, maxFrameBytes: number): LexResult {
  const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
  const tokens: LinkToken[] = [];
  let noiseStart = -1;
  const flushNoise = (end: number) => {
    if (noiseStart >= 0) tokens.push({ kind: 'noise', raw: Buffer.from(bytes.subarray(noiseStart, end)) });
    noiseStart = -1;
  };
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte === STX) {
      flushNoise(index);
      const end = frameEnd(bytes, index, maxFrameBytes);
      if (end === undefined) return { tokens, pending: Buffer.from(bytes.subarray(index)) };
      tokens.push({ kind: 'frame', raw: Buffer.from(bytes.subarray(index, end)) });
      index = end;
      continue;
    }
    const single = singles[byte];
    if (single) {
      flushNoise(index);
      tokens.push(single);
    } else if (byte !== CR && byte !== LF) {
      if (noiseStart < 0) noiseStart = index;
    } else {
      flushNoise(index);
    }
    index += 1;
  }
  flushNoise(bytes.length);
  return { tokens, pending: Buffer.alloc(0) };
}

/** Where the frame starting at `start` ends (exclusive), or undefined if more bytes are needed. */
function frameEnd(bytes: Buffer, start: number, maxFrameBytes: number): number | undefined {
  for (let index = start + 1; index < bytes.length; index += 1) {
    const byte = bytes[index]!;
    if (byte === ETX || byte === ETB) return checksumEnd(bytes, index + 1);
    if (byte === LF) return index + 1;
    if (byte === STX || byte === ENQ || byte === EOT) return index;
    if (index - start + 1 >= maxFrameBytes) return index + 1;
  }
  return undefined;
}

/** After ETB/ETX: past the checksum's two hex digits, or where they stop; undefined until that is known. */
function checksumEnd(bytes: Buffer, from: number): number | undefined {
  for (let index = from; index < from + 2; index += 1) {
    if (index >= bytes.length) return undefined;
    if (!isHexDigit(bytes[index])) return index;
  }
  return from + 2;
}

/**
 * True when `pending` is a frame that has its ETB/ETX and waits only for its
 * checksum. If the line then stays quiet, the sender sent none and is waiting
 * for our answer (its reply timer is 15 s, E1381-02 6.5.2): the shell calls
 * `lexQuietLine` so the frame is answered instead of waiting for bytes that
 * will not come.
 */
export function awaitsChecksum(pending: Buffer): boolean {
  if (pending[0] !== STX) return false;
  const markAt = pending.findIndex((byte) => byte === ETX || byte === ETB);
  return markAt > 0 && checksumEnd(pending, markAt + 1) === undefined;
}

/** The line went quiet: a frame waiting for its checksum ends where its bytes stop. */
export function lexQuietLine(pending: Buffer): LexResult {
  if (!awaitsChecksum(pending)) return { tokens: [], pending };
  return { tokens: [{ kind: 'frame', raw: Buffer.from(pending) }], pending: Buffer.alloc(0) };
}
