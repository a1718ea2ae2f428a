import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumOf, encodeFrame, parseFrame } from '../../../drivers/astm/astmFrame.ts';
import { lexLink } from '../../../drivers/astm/astmLexer.ts';
import { astmCapture, framesOf } from '../../harness/astmAnalyzer.ts';

/** Frame text as E1381 allows it: printable 8-bit text, CR between records, no control characters. */
const frameText = fc
  .array(fc.oneof(fc.integer({ min: 0x20, max: 0xff }), fc.constant(0x0d)), { maxLength: 300 })
  .map((bytes) => Buffer.from(bytes).toString('latin1'));
const frame = fc.record({
  frameNumber: fc.integer({ min: 0, max: 7 }),
  text: frameText,
  final: fc.boolean(),
});

describe('ASTM E1381 frames', () => {
  it('checks the checksum as the sum of the bytes from the frame number through ETB/ETX, modulo 256', () => {
    const [capture] = framesOf(astmCapture('abbott_afinion2.txt'));
    const verdict = parseFrame(capture!);
    expect(verdict.ok && verdict.frame.frameNumber).toBe(1);
    expect(checksumOf(Buffer.from('1H|\x03', 'latin1'))).toBe('F8');
    // 0x37+0x4C+0x7C+0x31+0x7C+0x4E+0x0D+0x03 = 0x20A: only the low byte is sent (cobas c111's last frame).
    expect(checksumOf(Buffer.from('7L|1|N\r\x03', 'latin1'))).toBe('0A');
  });

  it('accepts every frame of the real captures (frames ending CR LF, CR or LF)', () => {
    for (const file of ['cobas_c111.txt', 'cobas_c311.txt', 'pentra_xlr.txt', 'sysmex_xn550.txt']) {
      for (const raw of framesOf(astmCapture(file))) expect(parseFrame(raw).ok, file).toBe(true);
    }
  });

  it('round-trips any valid frame', () => {
    fc.assert(
      fc.property(frame, (original) => {
        const verdict = parseFrame(encodeFrame(original));
        expect(verdict).toEqual({ ok: true, frame: original });
      }),
    );
  });

  it('never throws on random bytes, and a frame it accepts always has a matching checksum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const withStx = Buffer.concat([Buffer.from([0x02]), bytes]);
        const verdict = parseFrame(withStx);
        if (verdict.ok) {
          const body = Buffer.concat([
            Buffer.from([0x30 + verdict.frame.frameNumber]),
            Buffer.from(verdict.frame.text, 'latin1'),
            Buffer.from([verdict.frame.final ? 0x03 : 0x17]),
          ]);
          expect(withStx.subarray(1).toString('latin1')).toContain(`${body.toString('latin1')}`);
          expect(withStx.toString('latin1').toUpperCase()).toContain(checksumOf(body));
        }
      }),
    );
  });

  it('refuses any single-byte change of a valid frame, or reads the very same frame', () => {
    fc.assert(
      fc.property(frame, fc.nat(), fc.integer({ min: 1, max: 255 }), (original, at, delta) => {
        const bytes = encodeFrame(original);
        const index = at % bytes.length;
        bytes[index] = (bytes[index]! + delta) % 256;
        const verdict = parseFrame(bytes);
        if (verdict.ok) expect(verdict.frame).toEqual(original);
      }),
    );
  });

  it('cuts a byte stream into the same tokens however it is chunked', () => {
    const stream = Buffer.concat([
      Buffer.from([0x05]),
      ...framesOf(astmCapture('cobas_c111.txt')),
      Buffer.from([0x04]),
    ]);
    const whole = lexLink(Buffer.alloc(0), stream, 65536).tokens;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 10 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let pending: Buffer = Buffer.alloc(0);
        const tokens = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          const lexed = lexLink(pending, stream.subarray(from, point), 65536);
          tokens.push(...lexed.tokens);
          pending = lexed.pending;
          from = point;
        }
        expect(tokens).toEqual(whole);
      }),
    );
  });
});
