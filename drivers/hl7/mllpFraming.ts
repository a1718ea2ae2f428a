/**
 * MLLP (Minimal Lower Layer Protocol, HL7 v2.5.1 Appendix C "MLLP release 2"):
 * a message travels as <VT> payload <FS><CR>. TCP gives no message
 * boundaries, so one read may hold several frames, or part of one.
 * `deframe` is pure: the bytes still open plus a new chunk in, the complete
 * frames (and any bytes that were in no frame) out, with what stays open.
 */

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;
const LF = 0x0a;

export type MllpItem =
  | { kind: 'frame'; payload: Buffer }
  /** Bytes that belong to no frame: before a VT, a frame cut by a new VT, or over the size limit. */
  | { kind: 'stray'; bytes: Buffer; reason: 'outside_frame' | 'frame_interrupted' | 'frame_too_large' };

export interface DeframeResult {
  items: MllpItem[];
  /** Bytes of a frame not yet ended (starting with VT), or of an oversize frame being skipped. */
  pending: Buffer;
  /** True while the rest of an oversize frame is being skipped up to its FS. */
  skipping: boolean;
}

/** Wraps one HL7 message for sending. */
export function frame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]);
}

/**
 * Splits `pending + chunk` into frames. The CR after FS is optional (some
 * senders omit it): a frame ends at FS, and CR or LF between frames is
 * ignored. A frame longer than `maxFrameBytes` is reported (not kept) and the
 * rest of it skipped to its FS, so a sender that never sends FS cannot grow
 * memory without bound.
 */
export function deframe(
  pending: Buffer,
  chunk: Buffer,
  maxFrameBytes: number,
  skipping = false,
): DeframeResult {
  const bytes = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  const items: MllpItem[] = [];
  let position = 0;
  let skip = skipping;
  while (position < bytes.length) {
    if (skip) {
      const end = bytes.indexOf(FS, position);
      if (end === -1) return { items, pending: Buffer.alloc(0), skipping: true };
      skip = false;
      position = end + 1;
      continue;
    }
    const start = bytes.indexOf(VT, position);
    const before = start === -1 ? bytes.subarray(position) : bytes.subarray(position, start);
    const stray = trimSeparators(before);
    if (stray.length > 0) items.push({ kind: 'stray', bytes: Buffer.from(stray), reason: 'outside_frame' });
    if (start === -1) return { items, pending: Buffer.alloc(0), skipping: false };

    const end = bytes.indexOf(FS, start + 1);
    const nextStart = bytes.indexOf(VT, start + 1);
    if (nextStart !== -1 && (end === -1 || nextStart < end)) {
      // A new frame began before this one ended: the first is cut short.
      items.push({
        kind: 'stray',
        bytes: Buffer.from(bytes.subarray(start, nextStart)),
        reason: 'frame_interrupted',
      });
      position = nextStart;
      continue;
    }
    if (end === -1) {
      const open = bytes.subarray(start);
      if (open.length - 1 > maxFrameBytes) {
        items.push({
          kind: 'stray',
          bytes: Buffer.from(open.subarray(0, 1024)),
          reason: 'frame_too_large',
        });
        return { items, pending: Buffer.alloc(0), skipping: true };
      }
      return { items, pending: Buffer.from(open), skipping: false };
    }
    const payload = bytes.subarray(start + 1, end);
    if (payload.length > maxFrameBytes) {
      items.push({ kind: 'stray', bytes: Buffer.from(payload.subarray(0, 1024)), reason: 'frame_too_large' });
    } else {
      items.push({ kind: 'frame', payload: Buffer.from(payload) });
    }
    position = end + 1;
  }
  return { items, pending: Buffer.alloc(0), skipping: false };
}

/** Drops the CR/LF that separate frames (the CR after FS, or a sender's newline). */
function trimSeparators(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  while (start < end && (bytes[start] === CR || bytes[start] === LF)) start += 1;
  while (end > start && (bytes[end - 1] === CR || bytes[end - 1] === LF)) end -= 1;
  return bytes.subarray(start, end);
}
