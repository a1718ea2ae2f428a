import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPacketSizeMeter, type MeterVerdict } from '../../../gateway/broker/packetSizeMeter.ts';

/** [MQTT-2.2.3] Remaining Length as a variable byte integer (1 to 4 bytes). */
function remainingLength(length: number): number[] {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return bytes;
}

/** One whole packet: PUBLISH QoS 1 fixed header byte, its length, and `length` body bytes. */
function packet(length: number, fill = 0x61): Buffer {
  return Buffer.from([0x32, ...remainingLength(length), ...new Array<number>(length).fill(fill)]);
}

/** Feeds chunks in order and returns the first refusal, as the connection does (it closes on the first). */
function verdictOf(
  meter: ReturnType<typeof createPacketSizeMeter>,
  chunks: readonly Uint8Array[],
): MeterVerdict {
  for (const chunk of chunks) {
    const verdict = meter(chunk);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}

function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

describe('the remaining-length encoding used by these tests', () => {
  it('matches the examples of MQTT 3.1.1 table 2.4', () => {
    expect(remainingLength(0)).toEqual([0x00]);
    expect(remainingLength(127)).toEqual([0x7f]);
    expect(remainingLength(128)).toEqual([0x80, 0x01]);
    expect(remainingLength(16_383)).toEqual([0xff, 0x7f]);
    expect(remainingLength(16_384)).toEqual([0x80, 0x80, 0x01]);
    expect(remainingLength(2_097_152)).toEqual([0x80, 0x80, 0x80, 0x01]);
    expect(remainingLength(268_435_455)).toEqual([0xff, 0xff, 0xff, 0x7f]);
  });
});

describe('packets within the limit', () => {
  it('pass whole, several in one chunk', () => {
    const meter = createPacketSizeMeter(1024);
    expect(meter(Buffer.concat([packet(10), packet(0), packet(300), Buffer.from([0xc0, 0x00])]))).toEqual({
      ok: true,
    });
  });

  it('pass when split byte by byte, headers included', () => {
    const meter = createPacketSizeMeter(1024);
    const stream = Buffer.concat([packet(200), packet(5)]);
    for (const byte of stream) expect(meter(Uint8Array.of(byte))).toEqual({ ok: true });
  });

  it('pass at exactly the limit (fixed header counted)', () => {
    // 1 type byte + 2 length bytes + 253 body bytes = 256.
    expect(verdictOf(createPacketSizeMeter(256), [packet(253)])).toEqual({ ok: true });
  });

  it('keep count of a body spread over many chunks, so the next header is read in the right place', () => {
    const meter = createPacketSizeMeter(1000);
    const first = packet(600);
    expect(meter(first.subarray(0, 100))).toEqual({ ok: true });
    expect(meter(first.subarray(100, 400))).toEqual({ ok: true });
    // The rest of the body, then the header of a packet that is too large.
    expect(
      meter(Buffer.concat([first.subarray(400), Buffer.from([0x32, ...remainingLength(5000)])])),
    ).toEqual({
      ok: false,
      reason: 'too_large',
      size: 1 + 2 + 5000,
    });
  });

  it('pass with a 4-byte remaining length when the limit allows it', () => {
    const meter = createPacketSizeMeter(3 * 1024 * 1024);
    const big = packet(2_097_152);
    expect(big.subarray(1, 5)).toEqual(Buffer.from([0x80, 0x80, 0x80, 0x01]));
    expect(
      verdictOf(meter, [big.subarray(0, 3), big.subarray(3, 1_000_000), big.subarray(1_000_000), packet(1)]),
    ).toEqual({ ok: true });
  });
});

describe('a packet over the limit', () => {
  it('is refused one byte over, with its whole size', () => {
    expect(verdictOf(createPacketSizeMeter(256), [packet(254)])).toEqual({
      ok: false,
      reason: 'too_large',
      size: 257,
    });
  });

  it('is refused as soon as its header arrives, before any of the body', () => {
    const meter = createPacketSizeMeter(16 * 1024);
    expect(meter(Buffer.from([0x32, ...remainingLength(1_000_000)]))).toEqual({
      ok: false,
      reason: 'too_large',
      size: 1 + 3 + 1_000_000,
    });
  });

  it('is refused when the last byte of a header split across chunks arrives', () => {
    const meter = createPacketSizeMeter(16 * 1024);
    const header = [0x32, ...remainingLength(2_097_152)];
    expect(meter(Buffer.from(header.slice(0, 3)))).toEqual({ ok: true });
    expect(meter(Buffer.from(header.slice(3)))).toEqual({
      ok: false,
      reason: 'too_large',
      size: 1 + 4 + 2_097_152,
    });
  });

  it('is refused after packets that were fine, in the same chunk', () => {
    const meter = createPacketSizeMeter(512);
    expect(
      meter(Buffer.concat([packet(100), packet(100), Buffer.from([0x32, ...remainingLength(600)])])),
    ).toMatchObject({ reason: 'too_large', size: 603 });
  });

  it('is refused at the largest remaining length MQTT allows', () => {
    expect(
      verdictOf(createPacketSizeMeter(16 * 1024), [Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f])]),
    ).toEqual({
      ok: false,
      reason: 'too_large',
      size: 1 + 4 + 268_435_455,
    });
  });
});

describe('a malformed remaining length', () => {
  it('is refused when a fourth length byte still says more follow (a 5-byte length)', () => {
    const meter = createPacketSizeMeter(Number.MAX_SAFE_INTEGER);
    expect(meter(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toEqual({
      ok: false,
      reason: 'malformed_length',
    });
  });

  it('is refused even when the bytes arrive one at a time', () => {
    const meter = createPacketSizeMeter(Number.MAX_SAFE_INTEGER);
    const verdicts = [0x30, 0x80, 0x80, 0x80, 0x80].map((byte) => meter(Uint8Array.of(byte)));
    expect(verdicts.at(-1)).toEqual({ ok: false, reason: 'malformed_length' });
    expect(verdicts.slice(0, -1).every((verdict) => verdict.ok)).toBe(true);
  });
});

describe('random splitting of a packet stream (property)', () => {
  const limit = 2048;
  /** Valid packets, then optionally an ending that must be refused: an oversize header or a malformed length. */
  const streams = fc.record({
    lengths: fc.array(fc.oneof(fc.integer({ min: 0, max: 130 }), fc.integer({ min: 120, max: limit - 3 })), {
      maxLength: 12,
    }),
    ending: fc.oneof(
      fc.constant<{ kind: 'none' }>({ kind: 'none' }),
      fc.record({
        kind: fc.constant<'oversize'>('oversize'),
        length: fc.integer({ min: limit - 2, max: 268_435_455 }),
        bodyBytes: fc.integer({ min: 0, max: 64 }),
      }),
      fc.constant<{ kind: 'malformed' }>({ kind: 'malformed' }),
    ),
  });

  function build(stream: {
    lengths: number[];
    ending: { kind: string; length?: number; bodyBytes?: number };
  }): { bytes: Buffer; expected: MeterVerdict } {
    const parts = stream.lengths.map((length) => packet(length));
    let expected: MeterVerdict = { ok: true };
    if (stream.ending.kind === 'oversize') {
      const length = stream.ending.length!;
      const header = [0x32, ...remainingLength(length)];
      parts.push(Buffer.from([...header, ...new Array<number>(stream.ending.bodyBytes!).fill(0x62)]));
      expected = { ok: false, reason: 'too_large', size: header.length + length };
    } else if (stream.ending.kind === 'malformed') {
      parts.push(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]));
      expected = { ok: false, reason: 'malformed_length' };
    }
    return { bytes: Buffer.concat(parts), expected };
  }

  it('never changes the verdict, which is the one the stream deserves', () => {
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { maxLength: 40 }), (stream, cutSeeds) => {
        const { bytes, expected } = build(stream);
        const cuts = cutSeeds.map((seed) => (bytes.length === 0 ? 0 : seed % (bytes.length + 1)));
        const whole = verdictOf(createPacketSizeMeter(limit), [bytes]);
        const split = verdictOf(createPacketSizeMeter(limit), splitAt(bytes, cuts));
        expect(whole).toEqual(expected);
        expect(split).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same verdict fed one byte at a time', () => {
    fc.assert(
      fc.property(streams, (stream) => {
        const { bytes, expected } = build(stream);
        const bytewise = [...bytes].map((byte) => Uint8Array.of(byte));
        expect(verdictOf(createPacketSizeMeter(limit), bytewise)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
