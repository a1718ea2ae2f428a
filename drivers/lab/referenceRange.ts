/** A reference range as the catalogue records it: low and high where they can be read, else the text. */
export interface ReferenceRange {
  low?: number;
  high?: number;
  text?: string;
}

const num = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const twoNumbers = new RegExp(`^\\(?\\s*(${num})\\s*(?:-|–|to|_|\\.\\.|\\s)\\s*(${num})\\s*\\)?$`, 'i');
const oneBound = new RegExp(`^(<=|>=|<|>|≤|≥)\\s*(${num})$`);

/**
 * Reads a range from its components (ASTM R.6, HL7 OBX-7): "3.5-5.1",
 * "3.5 - 5.1", "3.5 to 5.1", "70_105", "(3.5-5.1)", "-1.0 - 2.0"; a first
 * component followed by words ("84.0 - 94.0^REFERENCE_RANGE"); two numeric
 * components ("3.5^5.1"); one bound ("<5" is high 5, ">10" low 10, the text
 * kept because the bound is strict). Anything else ("negative", "age 1-5:
 * 10.5-14") is kept as text, never guessed at.
 */
export function referenceRangeOf(components: readonly string[]): ReferenceRange | undefined {
  const parts = components.map((part) => part.trim());
  const filled = parts.filter((part) => part !== '');
  if (filled.length === 0) return undefined;
  if (filled.length === 2 && filled.every((part) => new RegExp(`^${num}$`).test(part)))
    return ordered(Number(filled[0]), Number(filled[1]), filled.join('^'));
  const first = filled[0]!;
  const rest = filled.slice(1);
  const readable = rest.every((part) => /^[A-Za-z_ ]+$/.test(part)) ? first : filled.join(' ');
  const pair = twoNumbers.exec(readable);
  if (pair) return ordered(Number(pair[1]), Number(pair[2]), readable);
  const bound = oneBound.exec(readable);
  if (bound) {
    const value = Number(bound[2]);
    const below = bound[1]!.startsWith('<') || bound[1] === '≤';
    return below
      ? { high: value, text: readable.slice(0, 100) }
      : { low: value, text: readable.slice(0, 100) };
  }
  return { text: filled.join(' ').slice(0, 100) };
}

function ordered(low: number, high: number, text: string): ReferenceRange {
  // "5.1-3.5" is not a range a lab writes: keep it as text rather than swap it.
  return low <= high ? { low, high } : { text: text.slice(0, 100) };
}
