/**
 * Measures MQTT control packets as bytes arrive, from the fixed header's
 * Remaining Length (MQTT 3.1.1 section 2.2.3, a variable byte integer of at most four
 * bytes), so an oversize packet is refused before it is buffered whole. aedes
 * has no maximum packet size of its own.
 */
export type MeterVerdict =
  | { ok: true }
  | { ok: false; reason: 'too_large'; size: number }
  | { ok: false; reason: 'malformed_length' };

export function createPacketSizeMeter(maxPacketBytes: number) {
  let state: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let remaining = 0;

  return function feed(chunk: Uint8Array): MeterVerdict {
    let offset = 0;
    while (offset < chunk.length) {
      if (state === 'type') {
        offset += 1;
        state = 'length';
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        continue;
      }
      if (state === 'length') {
        const byte = chunk[offset]!;
        offset += 1;
        lengthBytes += 1;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if (byte & 0x80) {
          if (lengthBytes >= 4) return { ok: false, reason: 'malformed_length' };
          continue;
        }
        // The whole packet: fixed header (1 + length bytes) and the rest.
        const size = 1 + lengthBytes + length;
        if (size > maxPacketBytes) return { ok: false, reason: 'too_large', size };
        remaining = length;
        state = remaining === 0 ? 'type' : 'body';
        continue;
      }
      const take = Math.min(remaining, chunk.length - offset);
      offset += take;
      remaining -= take;
      if (remaining === 0) state = 'type';
    }
    return { ok: true };
  };
}
