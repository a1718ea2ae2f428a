import { ACK, CR, ENQ, EOT, ETB, ETX, LF, NAK, STX } from './astmFrame.ts';

/** What the bytes on an ASTM line are, before any protocol state is applied. */
export type LinkToken =
  | { kind: 'enq' | 'eot' | 'ack' | 'nak' }
  /** Bytes from STX to the end of the frame (checksum, or the end of the line for a broken one). */
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
 * Splits a byte stream into link tokens (pure). A frame ends two bytes after
 * its ETB/ETX (the checksum); CR and LF between frames are the frame's line
 * end and are dropped. A frame with no ETB/ETX ends at LF, at the next STX,
 * ENQ or EOT, or at `maxFrameBytes`, and is returned as a frame for the
 * protocol to refuse. Analyzers send frames much longer than E1381's 247
 * bytes (a whole message in one frame), so the limit is generous.
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
    if (byte === ETX || byte === ETB) {
      const end = index + 3;
      return end <= bytes.length ? end : undefined;
    }
    if (byte === LF) return index + 1;
    if (byte === STX || byte === ENQ || byte === EOT) return index;
    if (index - start + 1 >= maxFrameBytes) return index + 1;
  }
  return undefined;
}
