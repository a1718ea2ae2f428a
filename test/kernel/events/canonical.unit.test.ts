import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../kernel/events/canonical.ts';

describe('canonicalJson', () => {
  it('gives the same bytes whatever the key order', () => {
    const a = canonicalJson({ b: 1, a: { y: [1, 2], x: 'x' }, c: null });
    const b = canonicalJson({ c: null, a: { x: 'x', y: [1, 2] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"x":"x","y":[1,2]},"b":1,"c":null}');
  });

  it('drops undefined members of objects and writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
    expect(canonicalJson([1, undefined, 3])).toBe(JSON.stringify([1, undefined, 3]));
  });

  it('sorts nested objects inside arrays and keeps array order', () => {
    const value = { list: [{ z: 1, a: [{ d: 4, c: 3 }] }, [3, 2, 1], 'text'] };
    expect(canonicalJson(value)).toBe('{"list":[{"a":[{"c":3,"d":4}],"z":1},[3,2,1],"text"]}');
  });

  it('writes no white space and escapes strings as JSON does', () => {
    expect(canonicalJson({ name: 'أحمد "Ahmed"\n' })).toBe(`{"name":${JSON.stringify('أحمد "Ahmed"\n')}}`);
  });

  it('sorts keys by UTF-16 code units, not by locale', () => {
    // RFC 8785 section 3.2.3: "Z" (U+005A) before "a" (U+0061) before "é" (U+00E9).
    expect(canonicalJson({ é: 3, a: 2, Z: 1 })).toBe('{"Z":1,"a":2,"é":3}');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'throws for %s, which JSON cannot hold',
    (n) => {
      expect(() => canonicalJson({ value: n })).toThrow(TypeError);
      expect(() => canonicalJson([n])).toThrow(/not a JSON number/);
    },
  );

  it('refuses a Date or other class instance instead of hashing it as {}', () => {
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date is not a JSON object/);
    expect(() => canonicalJson({ items: new Map() })).toThrow(TypeError);
  });

  it('reads back to an equal value and is stable under a second pass, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = canonicalJson(value);
        expect(JSON.parse(bytes)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(bytes))).toBe(bytes);
      }),
    );
  });
});
