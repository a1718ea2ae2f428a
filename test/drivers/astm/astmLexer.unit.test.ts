import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../drivers/astm/astmFrame.ts';
import { awaitsChecksum, type LinkToken, lexLink, lexQuietLine } from '../../../drivers/astm/astmLexer.ts';
import { frameWithoutChecksum } from '../../harness/astmAnalyzer.ts';

const ENQ = Buffer.from([0x05]);
const EOT = Buffer.from([0x04]);
const lex = (...parts: Buffer[]) => lexLink(Buffer.alloc(0), Buffer.concat(parts), 65536);
const kinds = (tokens: LinkToken[]) => tokens.map((token) => token.kind);
const header = { frameNumber: 1, text: 'H|\\^&\rL|1|N\r', final: true };

describe('the ASTM lexer, for frames sent without a checksum', () => {
  it('ends the frame at its ETX when EOT follows at once, and reads the EOT and the next ENQ', () => {
    const { tokens, pending } = lex(ENQ, frameWithoutChecksum(header, ''), EOT, ENQ);
    expect(kinds(tokens)).toEqual(['enq', 'frame', 'eot', 'enq']);
    expect(tokens[1]).toEqual({ kind: 'frame', raw: frameWithoutChecksum(header, '') });
    expect(pending).toHaveLength(0);
  });

  it('ends the frame at its ETB or ETX when CR LF or the next STX follow', () => {
    const middle = { frameNumber: 1, text: 'H|\\^&\r', final: false };
    const { tokens } = lex(
      frameWithoutChecksum(middle, '\r\n'),
      frameWithoutChecksum({ ...header, frameNumber: 2 }, ''),
      encodeFrame({ ...header, frameNumber: 3 }),
    );
    expect(tokens).toEqual([
      { kind: 'frame', raw: frameWithoutChecksum(middle, '') },
      { kind: 'frame', raw: frameWithoutChecksum({ ...header, frameNumber: 2 }, '') },
      { kind: 'frame', raw: encodeFrame({ ...header, frameNumber: 3 }).subarray(0, -2) },
    ]);
  });

  it('holds a frame whose ETX is the last byte so far, and gives it up when the line stays quiet', () => {
    const sent = frameWithoutChecksum(header, '');
    const held = lex(sent);
    expect(held.tokens).toEqual([]);
    expect(awaitsChecksum(held.pending)).toBe(true);
    expect(lexQuietLine(held.pending)).toEqual({
      tokens: [{ kind: 'frame', raw: sent }],
      pending: Buffer.alloc(0),
    });
  });

  it('waits for the second checksum digit, and then reads the frame with its checksum', () => {
    const whole = encodeFrame(header);
    const oneDigit = whole.subarray(0, whole.indexOf(0x03) + 2);
    const held = lex(oneDigit);
    expect(held.tokens).toEqual([]);
    expect(awaitsChecksum(held.pending)).toBe(true);
    const rest = lexLink(held.pending, whole.subarray(oneDigit.length), 65536);
    expect(rest.tokens).toEqual([{ kind: 'frame', raw: whole.subarray(0, -2) }]);
    expect(awaitsChecksum(rest.pending)).toBe(false);
  });

  it('leaves a frame still missing its ETX to the bytes to come, quiet line or not', () => {
    const unfinished = frameWithoutChecksum(header, '').subarray(0, 6);
    const held = lex(unfinished);
    expect(awaitsChecksum(held.pending)).toBe(false);
    expect(lexQuietLine(held.pending)).toEqual({ tokens: [], pending: held.pending });
  });

  it('cuts a stream of frames without checksums into the same tokens however it is chunked', () => {
    const stream = Buffer.concat([
      ENQ,
      frameWithoutChecksum({ frameNumber: 1, text: 'H|\\^&\r', final: false }, '\r\n'),
      frameWithoutChecksum({ frameNumber: 2, text: 'R|1|^^^K|4.1\r', final: false }, '\r'),
      frameWithoutChecksum({ frameNumber: 3, text: 'L|1|N\r', final: true }, ''),
      EOT,
    ]);
    const whole = lex(stream).tokens;
    expect(kinds(whole)).toEqual(['enq', 'frame', 'frame', 'frame', 'eot']);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 10 }), (cuts) => {
        let pending: Buffer = Buffer.alloc(0);
        const tokens: LinkToken[] = [];
        let from = 0;
        for (const point of [...[...new Set(cuts)].sort((a, b) => a - b), stream.length]) {
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
