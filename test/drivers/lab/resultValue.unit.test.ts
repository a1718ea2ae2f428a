import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { structuredNumeric, valueOfComponents } from '../../../drivers/lab/resultValue.ts';

describe('a value read by its components', () => {
  it.each([
    [['5.4'], { value: 5.4 }],
    [['NOT DETECTED', ''], { value: 'NOT DETECTED' }],
    [['INVALID', ''], { value: 'INVALID' }],
    [['', '24.7'], { value: 24.7 }],
    [['40', '', ''], { value: 40 }],
    [['<0.5'], { value: 0.5, comparator: '<' }],
    [['< 1.20'], { value: 1.2, comparator: '<' }],
    [['<', '0.5'], { value: 0.5, comparator: '<' }],
    [['>=1000'], { value: 1000, comparator: '>=' }],
    [['MTB DETECTED', 'LOW'], { value: 'MTB DETECTED LOW' }],
    [['7,41'], { value: '7,41' }],
    [['2+'], { value: '2+' }],
    [['1:128'], { value: '1:128' }],
  ] as const)('%j is %j', (components, expected) => {
    expect(valueOfComponents(components)).toEqual(expected);
  });

  it('is no value when every component is blank ("^", "", "  ")', () => {
    expect(valueOfComponents(['', ''])).toBeUndefined();
    expect(valueOfComponents([])).toBeUndefined();
    expect(valueOfComponents(['  '])).toBeUndefined();
  });

  it('never keeps a blank component in a text value, and keeps every number exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }), (components) => {
        const read = valueOfComponents(components);
        if (read === undefined) expect(components.every((part) => part.trim() === '')).toBe(true);
        else if (typeof read.value === 'string') expect(read.value).toBe(read.value.trim());
      }),
    );
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((n) => n + 0),
        (number) => {
          expect(valueOfComponents(['', String(number), ''])).toEqual({ value: number });
        },
      ),
    );
  });
});

describe('an HL7 structured numeric (SN)', () => {
  it.each([
    [['', '182'], { value: 182 }],
    [['<', '5'], { value: 5, comparator: '<' }],
    [['>=', '10.5'], { value: 10.5, comparator: '>=' }],
    [['', '1', ':', '128'], { value: '1:128' }],
    [['', '2', '+'], { value: '2+' }],
    [['', '10', '-', '20'], { value: '10-20' }],
    [['<>', '3'], { value: '<>3' }],
  ] as const)('%j is %j', (components, expected) => {
    expect(structuredNumeric(components)).toEqual({ ok: true, value: expected });
  });

  it('refuses what is not a structured numeric, naming the part', () => {
    expect(structuredNumeric(['', 'high'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/"high" is not a number/),
    });
    expect(structuredNumeric(['about', '5'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/comparator "about"/),
    });
    expect(structuredNumeric(['', '1', ':', 'x'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/"x"/),
    });
    expect(structuredNumeric(['', '1', '%'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/separator/),
    });
  });
});
