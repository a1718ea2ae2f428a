import { createHash } from 'node:crypto';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { labResultFlags } from '../../kernel/events/schemas/lab.ts';
import {
  type AstmMessage,
  type AstmOrder,
  type AstmPatient,
  type AstmResult,
  componentsOf,
  fieldOf,
  unescapeText,
} from './astmRecords.ts';
import { astmDateTime } from './astmTime.ts';
import { eventDraft, type FacilityContext } from '../../kernel/events/eventDraft.ts';

export const specimenTypes = [
  'whole_blood',
  'serum',
  'plasma',
  'capillary_blood',
  'urine',
  'stool',
  'csf',
  'sputum',
  'swab',
  'other',
] as const;
export type SpecimenType = (typeof specimenTypes)[number];

export interface LabResultContext {
  deviceId: string;
  /** The analyzer's model for the event ("Sysmex XN-550"); else the H record's sender name. */
  analyzer?: string;
  facility: FacilityContext;
  /** The analyzer clock's offset from UTC, "+02:00". */
  utcOffset: string;
  /** What the analyzer measures when its O record does not say (a haematology analyzer: whole_blood). */
  specimenType: SpecimenType;
  /** The analyzer's test codes mapped to the codes to record ("717" → "GLU"). */
  testCodes: Readonly<Record<string, string>>;
  /** Gateway time the message arrived (ISO). */
  receivedAt: string;
  /** A patient id carried by the analyzer (P record) → the registered patient's id, if one matches. */
  findPatient: (analyzerPatientId: string) => string | undefined;
  /** The patient the device is bound to, used only when the P record names nobody. */
  boundPatientId?: string;
  newId: IdSource;
}

/** One result to record, with the key that makes a retransmission stored once. */
export interface LabResultToRecord {
  draft: EventDraft;
  deviceKey: string;
  /** Whether a registered patient was found for it (else it is filed under the facility). */
  matchedPatient: boolean;
}

export interface LabResultsOutcome {
  results: LabResultToRecord[];
  /** R records with neither a value nor a flag: nothing to record. */
  empty: number;
}

/**
 * Turns a parsed E1394 message into lab_result_available drafts (pure). A
 * result whose patient the gateway cannot match is still recorded, under the
 * facility (the catalogue's patientOrFacility subject), with its specimen id
 * so the lab can file it later: a result is never dropped.
 */
export function labResultsOf(message: AstmMessage, context: LabResultContext): LabResultsOutcome {
  const results: LabResultToRecord[] = [];
  let empty = 0;
  for (const patient of message.patients) {
    const who = patientOf(patient, message, context);
    for (const order of patient.orders) {
      for (const result of order.results) {
        const made = resultDraft(message, order, result, who, context);
        if (made) results.push({ ...made, matchedPatient: who.patientId !== undefined });
        else empty += 1;
      }
    }
  }
  return { results, empty };
}

/** Whose result: a registered patient, else the first id the P record carries, kept for reconciling later. */
type Who = { patientId?: string; patientMRN?: string };

function patientOf(patient: AstmPatient, message: AstmMessage, context: LabResultContext): Who {
  // P.3 practice-assigned, P.4 laboratory-assigned, P.5 patient id no. 3.
  const carried = [3, 4, 5]
    .map((n) => componentsOf(fieldOf(patient.record, n), message.delimiters)[0]?.trim() ?? '')
    .filter((id) => id !== '');
  for (const id of carried) {
    const found = context.findPatient(id);
    if (found) return { patientId: found };
  }
  if (carried[0]) return { patientMRN: carried[0].slice(0, 64) };
  return context.boundPatientId ? { patientId: context.boundPatientId } : {};
}

function resultDraft(
  message: AstmMessage,
  order: AstmOrder,
  result: AstmResult,
  who: Who,
  context: LabResultContext,
): Omit<LabResultToRecord, 'matchedPatient'> | undefined {
  const d = message.delimiters;
  const r = result.record;
  const rawCode = analyzerTestCode(componentsOf(fieldOf(r, 3), d));
  const valueText = unescapeText(fieldOf(r, 4) ?? '', d).trim();
  const { flags, unknownFlags } = flagsOf(fieldOf(r, 7) ?? '', d);
  if (!rawCode || (valueText === '' && flags.length === 0)) return undefined;
  const notes: string[] = [];
  const status = statusOf((fieldOf(r, 9) ?? '').trim(), notes);
  if (unknownFlags.length > 0) notes.push(`analyzer flags: ${unknownFlags.join(', ')}`);
  for (const comment of [...result.comments]) {
    const text = componentsOf(fieldOf(comment, 4), d).filter((part) => part.trim() !== '');
    if (text.length > 0) notes.push(text.map((part) => part.trim()).join(' '));
  }
  const observed =
    astmDateTime(fieldOf(r, 13), context.utcOffset) ??
    astmDateTime(fieldOf(r, 12), context.utcOffset) ??
    astmDateTime(fieldOf(order.record, 23), context.utcOffset) ??
    astmDateTime(componentsOf(fieldOf(message.header, 14), d)[0], context.utcOffset);
  const observedAt = observed ?? context.receivedAt;
  const ids = orderIdsOf(order, d);
  const specimenId = ids.specimenId ?? ids.instrumentSpecimenId ?? `unlabelled-${observedAt}`;
  const collectedAt = astmDateTime(fieldOf(order.record, 8), context.utcOffset);
  const unit = componentsOf(fieldOf(r, 5), d)[0]?.trim();
  const range = referenceRangeOf(unescapeText(fieldOf(r, 6) ?? '', d).trim());
  const testCode = context.testCodes[rawCode] ?? recordableCode(rawCode);
  const analyzer =
    context.analyzer ??
    componentsOf(fieldOf(message.header, 5), d)
      .find((part) => part.trim())
      ?.trim();
  const note = notes.join('; ').slice(0, 1000);
  const data = {
    resultId: stableId(context.deviceId, specimenId, rawCode),
    ...(ids.specimenId ? { orderId: ids.specimenId.slice(0, 64) } : {}),
    specimen: {
      specimenId: specimenId.slice(0, 64),
      type: specimenTypeOf(order, d, context.specimenType),
      ...(collectedAt ? { collectedAt } : {}),
    },
    testCode,
    testName: (componentsOf(fieldOf(r, 3), d)[1]?.trim() || rawCode).slice(0, 200),
    value: resultValue(valueText, flags),
    ...(unit ? { unit: unit.slice(0, 32) } : {}),
    ...(range ? { referenceRange: range } : {}),
    ...(flags.length > 0 ? { flags } : {}),
    resultStatus: status,
    ...(analyzer ? { analyzer: analyzer.slice(0, 100) } : {}),
    deviceId: context.deviceId,
    ...(note ? { note } : {}),
    observedAt,
    reportedAt: context.receivedAt,
  };
  const draft = eventDraft(
    {
      eventId: context.newId(),
      eventType: 'lab_result_available',
      timestamp: observedAt,
      facility: context.facility,
      ...who,
      source: gatewaySources.labDriver,
      metadata: {
        astm: {
          ...(ids.specimenId ? { specimenId: ids.specimenId.slice(0, 64) } : {}),
          ...(ids.instrumentSpecimenId
            ? { instrumentSpecimenId: ids.instrumentSpecimenId.slice(0, 64) }
            : {}),
          ...(who.patientId ? {} : { patientMatched: false }),
        },
      },
    },
    data,
  );
  // Analyzer + specimen + test + result time: the same result sent again is the same key.
  const when = observed ?? `message:${createHash('sha256').update(r.raw).digest('hex').slice(0, 16)}`;
  return { draft, deviceKey: `${context.deviceId}/astm#${specimenId}|${rawCode}|${when}` };
}

/**
 * The analyzer's own code for the test: the manufacturer's code (component 4
 * onwards of the universal test id, "^^^WBC", Sysmex "^^^^WBC^1"), else the
 * universal code. Roche appends "/dilution" ("685/"), which is dropped.
 */
export function analyzerTestCode(components: readonly string[]): string | undefined {
  const local = components.slice(3).find((part) => part.trim() !== '') ?? components[0];
  const code = local?.trim().replace(/^(\d+)\/\d*$/, '$1');
  return code ? code : undefined;
}

/** The catalogue's test codes are letters, digits, ".", "_" and "-": "NEUT#" → "NEUT-ABS", "LYM%" → "LYM-PCT". */
export function recordableCode(code: string): string {
  const mapped = code
    .replace(/#/g, '-ABS')
    .replace(/%/g, '-PCT')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '');
  return (mapped || 'X').slice(0, 32);
}

function resultValue(text: string, flags: readonly string[]): number | string {
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === '') return flags.some((flag) => flag !== 'N') ? 'present' : 'absent';
  return text.slice(0, 200);
}

function flagsOf(field: string, d: AstmMessage['delimiters']) {
  const allowed = new Set<string>(labResultFlags);
  const all = field
    .split(d.repeat)
    .flatMap((repeat) => repeat.split(d.component))
    .map((flag) => flag.trim())
    .filter((flag) => flag !== '');
  const flags = [...new Set(all.filter((flag) => allowed.has(flag)))].slice(0, 4);
  return { flags, unknownFlags: all.filter((flag) => !allowed.has(flag)) };
}

/** E1394 result status (R.9): C corrected, P/S/I preliminary, W questionable, X cannot be done, else final. */
function statusOf(code: string, notes: string[]): 'preliminary' | 'final' | 'corrected' {
  switch (code.toUpperCase()) {
    case 'C':
      notes.push('corrected by the analyzer (result status C)');
      return 'corrected';
    case 'P':
    case 'S':
    case 'I':
      return 'preliminary';
    case 'W':
      notes.push('the analyzer warns that this result may not be valid (result status W)');
      return 'preliminary';
    case 'X':
      notes.push('the analyzer could not produce this result (result status X)');
      return 'final';
    default:
      return 'final';
  }
}

/**
 * O.3 specimen id: the id the LIS gave the order and its tube, so the
 * result's orderId. O.4 instrument specimen id: the analyzer's own sample
 * number (Sysmex "^^   27^M"), which restarts every day or run, so it names
 * the specimen when O.3 is empty but never the order. First non-blank
 * component of each (c311: "11625^CL-PL-24-0370^1^^004").
 */
export function orderIdsOf(
  order: AstmOrder,
  d: AstmMessage['delimiters'],
): { specimenId?: string; instrumentSpecimenId?: string } {
  const first = (n: number) =>
    componentsOf(fieldOf(order.record, n), d)
      .find((part) => part.trim() !== '')
      ?.trim();
  const specimenId = first(3);
  const instrumentSpecimenId = first(4);
  return { ...(specimenId ? { specimenId } : {}), ...(instrumentSpecimenId ? { instrumentSpecimenId } : {}) };
}

function specimenTypeOf(
  order: AstmOrder,
  d: AstmMessage['delimiters'],
  fallback: SpecimenType,
): SpecimenType {
  const declared = (componentsOf(fieldOf(order.record, 16), d)[0] ?? '').trim().toLowerCase();
  if (/^(serum|ser|s)$/.test(declared)) return 'serum';
  if (/^(plasma|pla|pl|p)$/.test(declared)) return 'plasma';
  if (/^(blood|whole ?blood|wb|bld)$/.test(declared)) return 'whole_blood';
  if (/^(urine|ur|u)$/.test(declared)) return 'urine';
  if (/^csf$/.test(declared)) return 'csf';
  return fallback;
}

/** "3.5 to 5.0", "3.5-5.0", "3.5^5.0" as low/high; anything else kept as text. */
export function referenceRangeOf(text: string): { low?: number; high?: number; text?: string } | undefined {
  if (text === '') return undefined;
  const match = /^\s*([-+]?\d+(?:\.\d+)?)\s*(?:to|-|\^|\s)\s*([-+]?\d+(?:\.\d+)?)\s*$/i.exec(text);
  if (match) return { low: Number(match[1]), high: Number(match[2]) };
  return { text: text.slice(0, 100) };
}

function stableId(deviceId: string, specimenId: string, testCode: string): string {
  // The same from preliminary to final (lab_result_available's resultId).
  return `lr-${createHash('sha256').update(`${deviceId}\n${specimenId}\n${testCode}`).digest('hex').slice(0, 32)}`;
}
