/**
 * HL7 v2 message parsing (pure). The MSH segment declares the delimiters
 * (HL7 v2.5 section 2.5.4: MSH-1 field separator, MSH-2 component,
 * repetition, escape and subcomponent characters), so nothing is assumed.
 * Segments are separated by CR in the standard; LF and CRLF are accepted
 * too, as files and some senders use them.
 */

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

/** A field: its repetitions, each a list of components, each a list of subcomponents (unescaped). */
export type Hl7Field = string[][][];

export interface Hl7Segment {
  name: string;
  /** fields[n] is field n (fields[0] is unused); for MSH, fields[1] is the field separator itself. */
  fields: Hl7Field[];
  /** The segment as received (for quarantining one observation of a message). */
  raw?: string;
}

export interface Hl7Message {
  delimiters: Delimiters;
  segments: Hl7Segment[];
}

export type ParsedHl7 = { ok: true; message: Hl7Message } | { ok: false; reason: string };

const segmentName = /^[A-Z][A-Z0-9]{2}$/;
const MAX_SEGMENTS = 5000;

export function parseHl7(text: string): ParsedHl7 {
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.length > 0);
  const first = lines[0];
  if (first === undefined) return { ok: false, reason: 'the message is empty' };
  if (!first.startsWith('MSH'))
    return { ok: false, reason: 'the message does not begin with an MSH segment' };
  if (lines.length > MAX_SEGMENTS) return { ok: false, reason: `more than ${MAX_SEGMENTS} segments` };
  const declared = readDelimiters(first);
  if (typeof declared === 'string') return { ok: false, reason: declared };
  const segments: Hl7Segment[] = [];
  for (const [index, line] of lines.entries()) {
    const name = line.slice(0, 3);
    if (!segmentName.test(name)) return { ok: false, reason: `segment ${index + 1} has no valid name` };
    if (line.length > 3 && line[3] !== declared.field)
      return { ok: false, reason: `segment ${index + 1} (${name}) is not followed by the field separator` };
    segments.push({ ...parseSegment(line, declared, index === 0), raw: line });
  }
  return { ok: true, message: { delimiters: declared, segments } };
}

function readDelimiters(msh: string): Delimiters | string {
  const field = msh[3];
  if (field === undefined || /[A-Za-z0-9\s]/.test(field))
    return 'MSH-1 (field separator) is missing or not a punctuation character';
  const end = msh.indexOf(field, 4);
  const encoding = end === -1 ? msh.slice(4) : msh.slice(4, end);
  // MSH-2 holds 4 characters (5 from v2.7, with the truncation character).
  if (encoding.length < 4 || encoding.length > 5)
    return `MSH-2 (encoding characters) must hold 4 or 5 characters, not ${encoding.length}`;
  const [component, repetition, escapeChar, subcomponent] = encoding as unknown as [
    string,
    string,
    string,
    string,
  ];
  const all = [field, component, repetition, escapeChar, subcomponent];
  if (new Set(all).size !== all.length) return 'MSH-1 and MSH-2 declare the same delimiter twice';
  if (all.some((char) => /[A-Za-z0-9\s]/.test(char)))
    return 'MSH-2 (encoding characters) must be punctuation characters';
  return { field, component, repetition, escape: escapeChar, subcomponent };
}

function parseSegment(line: string, delimiters: Delimiters, isMsh: boolean): Hl7Segment {
  const raw = line.split(delimiters.field);
  const name = raw[0]!;
  if (!isMsh)
    return { name, fields: raw.map((value, index) => (index === 0 ? [] : parseField(value, delimiters))) };
  // MSH-1 is the separator itself and MSH-2 the encoding characters: neither is split.
  const fields: Hl7Field[] = [[], [[[delimiters.field]]], [[[raw[1] ?? '']]]];
  for (const value of raw.slice(2)) fields.push(parseField(value, delimiters));
  return { name, fields };
}

function parseField(value: string, delimiters: Delimiters): Hl7Field {
  return value
    .split(delimiters.repetition)
    .map((repetition) =>
      repetition
        .split(delimiters.component)
        .map((component) =>
          component.split(delimiters.subcomponent).map((sub) => unescapeHl7(sub, delimiters)),
        ),
    );
}

/**
 * Escape sequences (HL7 v2.5 section 2.7): \F\ \S\ \T\ \R\ \E\ stand for the
 * delimiters, \Xhh..\ for bytes in hex, \.br\ for a line break; highlighting
 * (\H\ \N\) is dropped. An unknown or unterminated sequence is kept as written.
 */
export function unescapeHl7(text: string, delimiters: Delimiters): string {
  const esc = delimiters.escape;
  if (!text.includes(esc)) return text;
  let out = '';
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf(esc, position);
    if (start === -1) break;
    const end = text.indexOf(esc, start + 1);
    if (end === -1) break;
    out += text.slice(position, start);
    const sequence = text.slice(start + 1, end);
    const replaced = escapeMeaning(sequence, delimiters);
    out += replaced ?? `${esc}${sequence}${esc}`;
    position = end + 1;
  }
  return out + text.slice(position);
}

function escapeMeaning(sequence: string, delimiters: Delimiters): string | undefined {
  switch (sequence) {
    case 'F':
      return delimiters.field;
    case 'S':
      return delimiters.component;
    case 'T':
      return delimiters.subcomponent;
    case 'R':
      return delimiters.repetition;
    case 'E':
      return delimiters.escape;
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(sequence)) return Buffer.from(sequence.slice(1), 'hex').toString('latin1');
  return undefined;
}

/** Escapes text for a field of an outgoing message (the ACK's MSA-3). */
export function escapeHl7(text: string, delimiters: Delimiters): string {
  const { escape: e, field, component, subcomponent, repetition } = delimiters;
  let out = '';
  for (const char of text) {
    if (char === e) out += `${e}E${e}`;
    else if (char === field) out += `${e}F${e}`;
    else if (char === component) out += `${e}S${e}`;
    else if (char === subcomponent) out += `${e}T${e}`;
    else if (char === repetition) out += `${e}R${e}`;
    else if (char === '\r' || char === '\n') out += ' ';
    else out += char;
  }
  return out;
}

/** Field n, component c (1-based), subcomponent s of repetition r (0-based); '' when absent. */
export function fieldValue(
  segment: Hl7Segment | undefined,
  field: number,
  component = 1,
  repetition = 0,
  sub = 1,
) {
  return segment?.fields[field]?.[repetition]?.[component - 1]?.[sub - 1] ?? '';
}

/** All repetitions of a field. */
export function repetitionsOf(segment: Hl7Segment | undefined, field: number): string[][][] {
  return segment?.fields[field] ?? [];
}

export function segmentsNamed(message: Hl7Message, name: string): Hl7Segment[] {
  return message.segments.filter((segment) => segment.name === name);
}
