/**
 * ASTM E1394 (CLSI LIS2-A2) records, as pure functions: delimiters read from
 * the H record, fields, repeats and components, escape sequences, and the
 * record hierarchy H > P > O > R (C comments, M and Q tolerated) > L.
 */

export interface Delimiters {
  field: string;
  repeat: string;
  component: string;
  escape: string;
}

/** One record split into fields; `field(n)` counts as E1394 does (field 1 is the record type). */
export interface AstmRecord {
  type: string;
  raw: string;
  fields: string[];
}

export interface AstmResult {
  record: AstmRecord;
  comments: AstmRecord[];
}
export interface AstmOrder {
  record: AstmRecord | undefined;
  results: AstmResult[];
  comments: AstmRecord[];
}
export interface AstmPatient {
  record: AstmRecord | undefined;
  orders: AstmOrder[];
}
export interface AstmMessage {
  delimiters: Delimiters;
  header: AstmRecord;
  patients: AstmPatient[];
  /** Record types outside E1394's hierarchy that were passed over (M, Q, S, unknown). */
  skipped: string[];
  /** Request information records (Q): the analyzer asks the host for orders (docs/devices.md#host-queries-and-orders-to-the-analyzer). */
  queries: AstmRecord[];
}

export type MessagesVerdict = { ok: true; messages: AstmMessage[] } | { ok: false; reason: string };

/** Reads the four delimiters the H record declares ("H|\^&": field, repeat, component, escape). */
export function delimitersOf(
  header: string,
): { ok: true; delimiters: Delimiters } | { ok: false; reason: string } {
  if (header[0] !== 'H') return { ok: false, reason: 'the message does not start with an H (header) record' };
  const [field, repeat, component, escapeChar] = [header[1], header[2], header[3], header[4]];
  if (!field || !repeat || !component || !escapeChar)
    return { ok: false, reason: 'the H record is too short to declare its four delimiters' };
  const declared = [field, repeat, component, escapeChar];
  if (declared.some((char) => /[A-Za-z0-9\s]/.test(char)))
    return { ok: false, reason: 'the H record declares a letter, digit or space as a delimiter' };
  if (new Set(declared).size !== 4)
    return {
      ok: false,
      reason: `the H record declares a delimiter twice (${JSON.stringify(declared.join(''))})`,
    };
  if (header.length > 5 && header[5] !== field)
    return { ok: false, reason: 'the H record delimiter field is longer than four characters' };
  return { ok: true, delimiters: { field, repeat, component, escape: escapeChar } };
}

export function splitRecord(raw: string, delimiters: Delimiters): AstmRecord {
  const fields = raw.split(delimiters.field);
  return { type: fields[0] ?? '', raw, fields };
}

/** Field n as E1394 numbers it (1 = record type), undefined if absent. */
export const fieldOf = (record: AstmRecord | undefined, n: number): string | undefined =>
  record?.fields[n - 1];

/** Components of the first repeat of a field, escapes decoded. */
export function componentsOf(value: string | undefined, delimiters: Delimiters): string[] {
  if (value === undefined || value === '') return [];
  const firstRepeat = value.split(delimiters.repeat)[0] ?? '';
  return firstRepeat.split(delimiters.component).map((part) => unescapeText(part, delimiters));
}

/** E1394 escapes: &F& &S& &R& &E& (with the declared escape character) stand for the delimiters. */
export function unescapeText(value: string, delimiters: Delimiters): string {
  const e = delimiters.escape;
  const table: Record<string, string> = {
    F: delimiters.field,
    S: delimiters.component,
    R: delimiters.repeat,
    E: delimiters.escape,
  };
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    const code = value[index + 1];
    if (char === e && code && table[code] && value[index + 2] === e) {
      out += table[code];
      index += 2;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * Groups records into messages (H ... L) and each message into its
 * hierarchy. Analyzers are forgiving about hierarchy, so a result with no
 * order before it gets an empty order, an order with no patient an empty
 * patient. A message with no H record is not ASTM.
 */
export function parseMessages(records: readonly string[]): MessagesVerdict {
  const messages: AstmMessage[] = [];
  let current: AstmMessage | undefined;
  for (const raw of records) {
    if (raw[0] === 'H') {
      const declared = delimitersOf(raw);
      if (!declared.ok) return declared;
      current = {
        delimiters: declared.delimiters,
        header: splitRecord(raw, declared.delimiters),
        patients: [],
        skipped: [],
        queries: [],
      };
      messages.push(current);
      continue;
    }
    if (!current)
      return {
        ok: false,
        reason: `record type ${JSON.stringify(raw.slice(0, 1))} before any H (header) record: not ASTM E1394`,
      };
    const record = splitRecord(raw, current.delimiters);
    addRecord(current, record);
    if (record.type === 'L') current = undefined;
  }
  if (messages.length === 0) return { ok: false, reason: 'no H (header) record: not ASTM E1394' };
  return { ok: true, messages };
}

function addRecord(message: AstmMessage, record: AstmRecord): void {
  const lastPatient = () =>
    message.patients.at(-1) ?? pushed(message.patients, { record: undefined, orders: [] });
  const lastOrder = () => {
    const patient = lastPatient();
    return patient.orders.at(-1) ?? pushed(patient.orders, { record: undefined, results: [], comments: [] });
  };
  switch (record.type) {
    case 'P':
      message.patients.push({ record, orders: [] });
      return;
    case 'O':
      lastPatient().orders.push({ record, results: [], comments: [] });
      return;
    case 'R':
      lastOrder().results.push({ record, comments: [] });
      return;
    case 'C': {
      // A comment belongs to the record before it: a result's, else the order's.
      const order = message.patients.at(-1)?.orders.at(-1);
      const result = order?.results.at(-1);
      if (result) result.comments.push(record);
      else if (order) order.comments.push(record);
      return;
    }
    case 'L':
      return;
    case 'Q':
      message.queries.push(record);
      message.skipped.push(record.type);
      return;
    default:
      message.skipped.push(record.type);
  }
}

function pushed<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}
