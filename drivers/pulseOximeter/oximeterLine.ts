/**
 * Pulse oximeter serial lines, as pure functions. Two ASCII formats:
 *
 * - Nonin real-time output (7500, 8500, 9600 Avant, BT4000, ...), once a
 *   second: `SPO2=XXX HR=YYY`, with `---` for no reading, a trailing `F` in
 *   fast mode, `*` as the operator's event marker, and on some models a
 *   leading `HH:MM:SS`.
 * - Masimo "ASCII 1" (Rad-8, Radical-7, Rad-87), once a second:
 *   `MM/DD/YY HH:MM:SS SN=... SPO2=097% BPM=070 PI=01.86% ... ALARM=0000 EXC=000000`,
 *   `---` for no reading, ALARM and EXC as hexadecimal bit fields.
 */

export type OximeterFormat = 'nonin' | 'masimo-ascii1';

export interface OximeterReading {
  format: OximeterFormat;
  /** %, absent when the device shows no reading. */
  spo2?: number;
  /** Beats per minute, absent when the device shows no reading. */
  pulseRate?: number;
  perfusionIndex?: number;
  /** Masimo ALARM bit field (0: no alarm). */
  alarm?: number;
  /** Masimo EXC exception bit field (0: none). */
  exceptions?: number;
  eventMarker?: boolean;
}

export type LineVerdict =
  | { kind: 'reading'; reading: OximeterReading }
  | { kind: 'blank' }
  | { kind: 'invalid'; reason: string };

const NONIN = /^(?:\d{2}:\d{2}:\d{2}\s+)?SPO2=\s*(\d{1,3}|-{2,3})\s+HR=\s*(\d{1,3}|-{2,3})\s*(F)?\s*(\*)?$/i;
const MASIMO_PREFIX = /^(\d{2})\/(\d{2})\/(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\s+(.*)$/;

export function parseOximeterLine(line: string, accept: OximeterFormat | 'auto' = 'auto'): LineVerdict {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  if (/[^\x20-\x7e]/.test(text))
    return {
      kind: 'invalid',
      reason: 'line holds bytes that are not printable ASCII (wrong baud rate or format?)',
    };
  const nonin = NONIN.exec(text);
  if (nonin) {
    if (accept === 'masimo-ascii1')
      return { kind: 'invalid', reason: 'a Nonin line on a port set to masimo-ascii1' };
    return checked({
      format: 'nonin',
      ...number('spo2', nonin[1]),
      ...number('pulseRate', nonin[2]),
      ...(nonin[4] ? { eventMarker: true } : {}),
    });
  }
  const masimo = MASIMO_PREFIX.exec(text);
  if (masimo) {
    if (accept === 'nonin') return { kind: 'invalid', reason: 'a Masimo line on a port set to nonin' };
    return parseMasimoFields(masimo[7]!);
  }
  return { kind: 'invalid', reason: 'neither a Nonin "SPO2=XXX HR=YYY" line nor a Masimo ASCII 1 line' };
}

function parseMasimoFields(rest: string): LineVerdict {
  const fields = new Map<string, string>();
  for (const token of rest.split(/\s+/)) {
    const at = token.indexOf('=');
    if (at <= 0)
      return {
        kind: 'invalid',
        reason: `Masimo field ${JSON.stringify(token.slice(0, 20))} is not NAME=VALUE`,
      };
    fields.set(token.slice(0, at).toUpperCase(), token.slice(at + 1).replace(/%$/, ''));
  }
  const spo2 = fields.get('SPO2');
  const pulse = fields.get('BPM') ?? fields.get('PR');
  if (spo2 === undefined || pulse === undefined)
    return { kind: 'invalid', reason: 'Masimo line without SPO2= and BPM=' };
  if (!isNumberOrDashes(spo2) || !isNumberOrDashes(pulse))
    return { kind: 'invalid', reason: 'Masimo SPO2 or BPM is neither a number nor "---"' };
  const alarm = hex(fields.get('ALARM'));
  const exceptions = hex(fields.get('EXC'));
  if (alarm === null || exceptions === null)
    return { kind: 'invalid', reason: 'Masimo ALARM or EXC is not hexadecimal' };
  const pi = fields.get('PI');
  return checked({
    format: 'masimo-ascii1',
    ...number('spo2', spo2),
    ...number('pulseRate', pulse),
    ...(pi && /^\d+(\.\d+)?$/.test(pi) ? { perfusionIndex: Number(pi) } : {}),
    ...(alarm !== undefined ? { alarm } : {}),
    ...(exceptions !== undefined ? { exceptions } : {}),
  });
}

function checked(reading: OximeterReading): LineVerdict {
  if (reading.spo2 !== undefined && reading.spo2 > 100)
    return { kind: 'invalid', reason: `SpO2 ${reading.spo2} % is not possible` };
  if (reading.pulseRate !== undefined && reading.pulseRate > 350)
    return { kind: 'invalid', reason: `pulse rate ${reading.pulseRate}/min is not possible` };
  return { kind: 'reading', reading };
}

const isNumberOrDashes = (value: string) => /^(\d{1,3}|-+(\.-+)?)$/.test(value);

function number<K extends 'spo2' | 'pulseRate'>(
  key: K,
  value: string | undefined,
): Partial<Record<K, number>> {
  return value !== undefined && /^\d+$/.test(value) ? ({ [key]: Number(value) } as Record<K, number>) : {};
}

/** Undefined when absent or "---", null when not hexadecimal. */
function hex(value: string | undefined): number | undefined | null {
  if (value === undefined || /^-+$/.test(value)) return undefined;
  return /^[0-9A-Fa-f]{1,8}$/.test(value) ? Number.parseInt(value, 16) : null;
}
