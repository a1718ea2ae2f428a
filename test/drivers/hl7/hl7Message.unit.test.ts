import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHl7, fieldValue, parseHl7, repetitionsOf } from '../../../drivers/hl7/hl7Message.ts';
import { hl7TimeToIso } from '../../../drivers/hl7/hl7Time.ts';
import { hl7Samples } from '../../harness/hl7Testdata.ts';

describe('HL7 v2 parsing', () => {
  it('reads the delimiters MSH declares, not assumed ones', () => {
    const parsed = parseHl7('MSH#$*@%#APP#FAC\rPID###ID1$X$$AUTH*ID2$Y##NAME%PART');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const pid = parsed.message.segments[1];
    expect(parsed.message.delimiters).toEqual({
      field: '#',
      component: '$',
      repetition: '*',
      escape: '@',
      subcomponent: '%',
    });
    expect(fieldValue(parsed.message.segments[0], 3)).toBe('APP');
    expect(repetitionsOf(pid, 3).map((rep) => rep[0]?.[0])).toEqual(['ID1', 'ID2']);
    expect(fieldValue(pid, 3, 4)).toBe('AUTH');
    expect(fieldValue(pid, 5, 1, 0, 2)).toBe('PART');
  });

  it('accepts CR, LF and CRLF between segments alike', () => {
    for (const separator of ['\r', '\n', '\r\n']) {
      const parsed = parseHl7(['MSH|^~\\&|A', 'PID|1', 'OBX|1'].join(separator));
      expect(parsed.ok && parsed.message.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'OBX']);
    }
  });

  it('turns escape sequences back into the characters they stand for', () => {
    const parsed = parseHl7('MSH|^~\\&|A\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\X41\\h\\H\\i\\N\\');
    expect(parsed.ok && fieldValue(parsed.message.segments[1], 3)).toBe('a|b^c&d~e\\f\ngAhi');
  });

  it('escapes what it writes so that parsing gives the text back (round trip)', () => {
    const delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const clean = text.replace(/[\r\n]/g, ' ');
        const parsed = parseHl7(`MSH|^~\\&|A\rNTE|1||${escapeHl7(clean, delimiters)}`);
        expect(parsed.ok && fieldValue(parsed.message.segments[1], 3)).toBe(clean);
      }),
    );
  });

  it('refuses input that is not an HL7 message, saying why', () => {
    expect(parseHl7('')).toEqual({ ok: false, reason: 'the message is empty' });
    expect(parseHl7('PID|1')).toMatchObject({ ok: false, reason: expect.stringContaining('MSH') });
    expect(parseHl7('MSH|^~|A')).toMatchObject({ ok: false, reason: expect.stringContaining('MSH-2') });
    expect(parseHl7('MSH|^~\\&|A\rp1d|1')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('name'),
    });
  });

  it('parses every public sample message', () => {
    const samples = hl7Samples();
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const parsed = parseHl7(sample.bytes.toString('utf8'));
      expect(parsed.ok, sample.name).toBe(true);
    }
  });

  it('never throws on random or mutated input (fuzz)', () => {
    const sample = hl7Samples()[0]!.bytes.toString('latin1');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseHl7(text);
        if (result.ok) expect(result.message.segments[0]?.name).toBe('MSH');
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sample.length), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        (edits) => {
          const chars = [...sample];
          for (const [at, code] of edits) chars[at] = String.fromCharCode(code);
          const result = parseHl7(chars.join(''));
          if (result.ok) expect(result.message.segments[0]?.name).toBe('MSH');
        },
      ),
    );
  });
});

describe('HL7 times', () => {
  it('reads each precision, with and without an offset', () => {
    expect(hl7TimeToIso('201410060645', 0)).toBe('2014-10-06T06:45:00.000Z');
    expect(hl7TimeToIso('20261126103000+0200', 0)).toBe('2026-11-26T08:30:00.000Z');
    expect(hl7TimeToIso('20261126103000.25-0130', 0)).toBe('2026-11-26T12:00:00.250Z');
    expect(hl7TimeToIso('20261126', 120)).toBe('2026-11-25T22:00:00.000Z');
  });

  it('applies the assumed sender offset when the value has none', () => {
    expect(hl7TimeToIso('202611261030', 120)).toBe('2026-11-26T08:30:00.000Z');
  });

  it('refuses what is not a real time', () => {
    for (const bad of ['', '2026-11-26', '20260231', '202611262500', 'abc', '20261126103000+9999'])
      expect(hl7TimeToIso(bad, 0), bad).toBeUndefined();
  });
});
