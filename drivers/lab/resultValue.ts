import type { labValueComparators } from '../../kernel/events/schemas/lab.ts';

export type Comparator = (typeof labValueComparators)[number];

/** A result's value as the analyzer meant it: a number (maybe with a comparator) or text. */
export interface ResultValue {
  value: number | string;
  comparator?: Comparator;
}

const numberText = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const comparatorText = /^(<=|>=|<|>|=)\s*(.+)$/;

/** "12.5" → 12.5, anything else undefined (no thousands separators, no decimal commas: they are ambiguous). */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (!numberText.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A value written as text, split into its components (ASTM R.4; HL7 OBX-5
 * of the text types): "5.4" is a number, "<0.5" and "<^0.5" a number with
 * its comparator, "NOT DETECTED^" the text "NOT DETECTED" (blank components
 * are separators, not part of the value), several words joined by a space.
 * Undefined when every component is blank: no value.
 */
export function valueOfComponents(components: readonly string[]): ResultValue | undefined {
  const parts = components.map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) return undefined;
  const joined = parts.length === 2 && comparatorOf(parts[0]!) ? `${parts[0]}${parts[1]}` : parts.join(' ');
  const number = numberOf(joined);
  if (number !== undefined) return { value: number };
  const compared = comparatorText.exec(joined);
  const bound = compared ? numberOf(compared[2]!) : undefined;
  if (compared && bound !== undefined) return { value: bound, comparator: compared[1] as Comparator };
  return { value: joined.slice(0, 200) };
}

function comparatorOf(text: string): Comparator | undefined {
  return ['<', '<=', '>', '>=', '='].includes(text) ? (text as Comparator) : undefined;
}

export type StructuredNumeric = { ok: true; value: ResultValue } | { ok: false; reason: string };

/**
 * HL7 v2 SN (structured numeric, HL7 2.5.1 section 2.A.73): comparator ^
 * num1 ^ separator/suffix ^ num2. "^182" is 182, "<^5" is 5 with "<",
 * "^1^:^128" the ratio "1:128", "^2^+" the text "2+", "^10^-^20" the range
 * "10-20" (kept as text: no single number is the value).
 */
export function structuredNumeric(components: readonly string[]): StructuredNumeric {
  const [rawComparator = '', rawFirst = '', rawSeparator = '', rawSecond = ''] = components.map((part) =>
    part.trim(),
  );
  const comparator = comparatorOf(rawComparator);
  // "<>" (not equal) is in HL7's SN table but not in FHIR's comparators: kept as text.
  if (rawComparator === '<>' && numberOf(rawFirst) !== undefined)
    return { ok: true, value: { value: `<>${rawFirst}${rawSeparator}${rawSecond}` } };
  if (rawComparator !== '' && comparator === undefined)
    return { ok: false, reason: `SN comparator "${rawComparator}" is not one of <, <=, >, >=, =` };
  const first = numberOf(rawFirst);
  if (first === undefined) return { ok: false, reason: `SN number "${rawFirst}" is not a number` };
  if (rawSeparator === '' && rawSecond === '')
    return { ok: true, value: comparator ? { value: first, comparator } : { value: first } };
  if (rawSecond !== '' && numberOf(rawSecond) === undefined)
    return { ok: false, reason: `SN second number "${rawSecond}" is not a number` };
  if (![':', '/', '-', '+', '.'].includes(rawSeparator))
    return { ok: false, reason: `SN separator/suffix "${rawSeparator}" is not one of : / - + .` };
  return { ok: true, value: { value: `${rawComparator}${rawFirst}${rawSeparator}${rawSecond}` } };
}
