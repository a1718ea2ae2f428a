import { createHash } from 'node:crypto';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft, type FacilityContext } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { type AnalyzerMapping, mappedQuantity, mappedTestCode } from '../lab/analyzerMapping.ts';
import { labFlagsOf } from '../lab/labFlags.ts';
import { referenceRangeOf } from '../lab/referenceRange.ts';
import { valueOfComponents } from '../lab/resultValue.ts';
import { commentNotes } from './astmComments.ts';
import { type QcRun, qcRunOf } from './astmQc.ts';
import {
  type AstmMessage,
  type AstmOrder,
  type AstmRecord,
  type AstmPatient,
  type AstmResult,
  componentsOf,
  fieldOf,
} from './astmRecords.ts';
import { levelsCode, mappingCandidates, testLevels, universalTestId } from './astmResultIdentity.ts';
import { astmDateTime } from './astmTime.ts';
import type { PlacedLabOrder } from '../../gateway/pluginApi.ts';

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
  /** The technician's test-code and unit mapping for this analyzer (drivers.json). */
  mapping: AnalyzerMapping;
  /** Gateway time the message arrived (ISO). */
  receivedAt: string;
  /** A patient id carried by the analyzer (P record) → the registered patient's id, if one matches. */
  findPatient: (analyzerPatientId: string) => string | undefined;
  /** The patient the device is bound to, used only when the P record names nobody. */
  boundPatientId?: string;
  newId: IdSource;
  /** The gateway's orders on a specimen (LabOrderBook.ordersForSpecimen): links a result to its order. */
  ordersForSpecimen?: (specimenId: string) => readonly PlacedLabOrder[];
}

/**
 * One R record of the message: a result to record (with the key under which
 * a retransmission is recognised), or a record with no value, which is
 * quarantined, so that every R record is accounted for
 * (docs/devices.md#every-result-accounted-for).
 */
export type LabResultItem =
  | { kind: 'result'; draft: EventDraft; deviceKey: string; matchedPatient: boolean; qc: boolean }
  | { kind: 'empty'; raw: string; reason: string };

export interface LabResultsOutcome {
  /** H.3 (message control id), else a digest of the H record: names the message in the log. */
  messageId: string;
  items: LabResultItem[];
}

/**
 * Turns a parsed E1394 message into lab_result_available drafts (pure), one
 * per R record. A result whose patient the gateway cannot match is still
 * recorded, under the facility (the catalogue's patientOrFacility subject),
 * with its specimen id so the lab can file it later; a quality-control run
 * is recorded under the facility, marked `qc`, never on a chart.
 */
export function labResultsOf(message: AstmMessage, context: LabResultContext): LabResultsOutcome {
  const items: LabResultItem[] = [];
  for (const patient of message.patients) {
    for (const order of patient.orders) {
      const qc = qcRunOf(message, order);
      const who = qc ? {} : patientOf(patient, message, context);
      const seen = new Map<string, number>();
      for (const result of order.results) {
        const testId = universalTestId(componentsOf(fieldOf(result.record, 3), message.delimiters));
        const occurrence = seen.get(testId) ?? 0;
        seen.set(testId, occurrence + 1);
        items.push(
          resultItem(message, order, result, { who, qc, occurrence, patient: patient.record }, context),
        );
      }
    }
  }
  const controlId = componentsOf(fieldOf(message.header, 3), message.delimiters)[0]?.trim();
  const messageId =
    controlId || `h-${createHash('sha256').update(message.header.raw).digest('hex').slice(0, 12)}`;
  return { messageId: messageId.slice(0, 64), items };
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

interface Placement {
  who: Who;
  qc: QcRun | undefined;
  /** How many R records of this order carried the same universal test id before this one. */
  occurrence: number;
  /** The P record the result came under: part of its identity (two patients' results are never one). */
  patient: AstmRecord | undefined;
}

function resultItem(
  message: AstmMessage,
  order: AstmOrder,
  result: AstmResult,
  placement: Placement,
  context: LabResultContext,
): LabResultItem {
  const d = message.delimiters;
  const r = result.record;
  const testComponents = componentsOf(fieldOf(r, 3), d);
  const testId = universalTestId(testComponents);
  const levels = testLevels(testComponents);
  const { flags, unknownFlags } = labFlagsOf(
    (fieldOf(r, 7) ?? '').split(d.repeat).flatMap((repeat) => repeat.split(d.component)),
  );
  const status = statusOf((fieldOf(r, 9) ?? '').trim());
  const reported = valueOfComponents(componentsOf(fieldOf(r, 4), d));
  const value =
    reported ??
    (flags.length > 0 ? { value: flags.some((flag) => flag !== 'N') ? 'present' : 'absent' } : undefined) ??
    (status.cannotBeDone ? { value: 'not done' } : undefined);
  if (levels.length === 0)
    return { kind: 'empty', raw: r.raw, reason: 'R.3 (universal test id) names no test' };
  if (!value)
    return {
      kind: 'empty',
      raw: r.raw,
      reason: `result ${testId}: R.4 holds no value and R.7 no flag (nothing to record)`,
    };
  const notes = [...status.notes];
  if (unknownFlags.length > 0) notes.push(`analyzer flags: ${unknownFlags.join(', ')}`);
  notes.push(...commentNotes(result.comments, message));
  if (placement.qc) notes.push(...commentNotes(order.comments, message));
  const observed =
    astmDateTime(fieldOf(r, 13), context.utcOffset) ??
    astmDateTime(fieldOf(r, 12), context.utcOffset) ??
    astmDateTime(fieldOf(order.record, 23), context.utcOffset) ??
    astmDateTime(fieldOf(order.record, 8), context.utcOffset) ??
    astmDateTime(componentsOf(fieldOf(message.header, 14), d)[0], context.utcOffset);
  const observedAt = observed ?? context.receivedAt;
  const ids = orderIdsOf(order, d);
  // No specimen id at all: named by its time and its P and O records, so two patients' tubes never merge.
  // Never the gateway's receive time: a resend must name the same specimen.
  const unlabelled = () =>
    `unlabelled-${observed ?? ''}-${createHash('sha256')
      .update(`${placement.patient?.raw ?? ''}\r${order.record?.raw ?? ''}`)
      .digest('hex')
      .slice(0, 12)}`;
  const specimenId = ids.specimenId ?? ids.instrumentSpecimenId ?? unlabelled();
  const collectedAt = astmDateTime(fieldOf(order.record, 8), context.utcOffset);
  const unitText = componentsOf(fieldOf(r, 5), d)[0]?.trim() || undefined;
  const quantity = mappedQuantity(context.mapping, value, unitText);
  const range = referenceRangeOf(componentsOf(fieldOf(r, 6), d));
  const testCode = mappedTestCode(context.mapping, mappingCandidates(testComponents)) ?? levelsCode(levels);
  const analyzer =
    context.analyzer ??
    componentsOf(fieldOf(message.header, 5), d)
      .find((part) => part.trim())
      ?.trim();
  const note = notes.join('; ').slice(0, 1000);
  const sequence = (fieldOf(r, 2) ?? '').trim();
  const data = {
    resultId: resultIdOf(context.deviceId, specimenId, testId, placement.occurrence),
    ...(placement.qc ? {} : orderIdOf(ids.specimenId, testCode, context)),
    specimen: {
      specimenId: specimenId.slice(0, 64),
      type: specimenTypeOf(order, d, context.specimenType),
      ...(collectedAt ? { collectedAt } : {}),
    },
    testCode,
    testName: testNameOf(testComponents[1]?.trim(), levels),
    value: quantity.value.value,
    ...(quantity.value.comparator ? { comparator: quantity.value.comparator } : {}),
    ...(quantity.unit ? { unit: quantity.unit.slice(0, 32) } : {}),
    ...(range ? { referenceRange: range } : {}),
    ...(flags.length > 0 ? { flags } : {}),
    resultStatus: status.resultStatus,
    ...(analyzer ? { analyzer: analyzer.slice(0, 100) } : {}),
    deviceId: context.deviceId,
    ...(note ? { note } : {}),
    ...(placement.qc ? { qc: placement.qc } : {}),
    observedAt,
    reportedAt: context.receivedAt,
  };
  // What the analyzer said about this result, byte for byte: a resend of it is a duplicate only if this is equal.
  const sourceDigest = createHash('sha256')
    .update(
      [
        placement.patient?.raw ?? '',
        order.record?.raw ?? '',
        r.raw,
        ...result.comments.map((c) => c.raw),
      ].join('\r'),
    )
    .digest('hex');
  const draft = eventDraft(
    {
      eventId: context.newId(),
      eventType: 'lab_result_available',
      timestamp: observedAt,
      facility: context.facility,
      ...placement.who,
      source: gatewaySources.labDriver,
      metadata: {
        sourceDigest,
        astm: {
          testId: testId.slice(0, 200),
          ...(sequence ? { sequence: sequence.slice(0, 16) } : {}),
          ...(ids.specimenId ? { specimenId: ids.specimenId.slice(0, 64) } : {}),
          ...(ids.instrumentSpecimenId
            ? { instrumentSpecimenId: ids.instrumentSpecimenId.slice(0, 64) }
            : {}),
          ...(placement.who.patientId || placement.qc ? {} : { patientMatched: false }),
          ...(quantity.reported ? { reported: quantity.reported } : {}),
        },
      },
    },
    data,
  );
  // Analyzer + specimen + whole test id + place in the order + result time: the same result sent again has the same key.
  const when = observed ?? `message:${createHash('sha256').update(r.raw).digest('hex').slice(0, 16)}`;
  const patientKey = placement.who.patientId ?? placement.who.patientMRN ?? '';
  const key = `${context.deviceId}/astm#${patientKey}|${specimenId}|${testId}|${sequence}.${placement.occurrence}|${when}`;
  return {
    kind: 'result',
    draft,
    deviceKey: key,
    matchedPatient: placement.who.patientId !== undefined,
    qc: placement.qc !== undefined,
  };
}

/**
 * The name a clinician reads: the universal test name and the levels below
 * the manufacturer's code ("MTB-RIF rpoB1 Ct"), so a panel and its lines
 * are told apart on the chart.
 */
function testNameOf(universalName: string | undefined, levels: readonly string[]): string {
  const parts = universalName ? [universalName, ...levels.slice(1)] : [...levels];
  return [...new Set(parts)].join(' ').slice(0, 200);
}

/** E1394 result status (R.9): C corrected, P/S/I preliminary, W questionable, X cannot be done, else final. */
function statusOf(code: string): {
  resultStatus: 'preliminary' | 'final' | 'corrected';
  notes: string[];
  cannotBeDone: boolean;
} {
  switch (code.toUpperCase()) {
    case 'C':
      return {
        resultStatus: 'corrected',
        notes: ['corrected by the analyzer (result status C)'],
        cannotBeDone: false,
      };
    case 'P':
    case 'S':
    case 'I':
      return { resultStatus: 'preliminary', notes: [], cannotBeDone: false };
    case 'W':
      return {
        resultStatus: 'preliminary',
        notes: ['the analyzer warns that this result may not be valid (result status W)'],
        cannotBeDone: false,
      };
    case 'X':
      return {
        resultStatus: 'final',
        notes: ['the analyzer could not produce this result (result status X)'],
        cannotBeDone: true,
      };
    default:
      return { resultStatus: 'final', notes: [], cannotBeDone: false };
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

/**
 * The order a result answers (docs/devices.md#order-ids): on a specimen the
 * gateway ordered, the one order that holds this test (none when no order
 * or several do: a result is never guessed onto an order); on a specimen
 * the gateway knows nothing of, O.3 itself, the id an outside LIS gave it.
 */
function orderIdOf(
  specimenId: string | undefined,
  testCode: string,
  context: LabResultContext,
): { orderId?: string } {
  if (!specimenId) return {};
  const placed = context.ordersForSpecimen?.(specimenId) ?? [];
  if (placed.length === 0) return { orderId: specimenId.slice(0, 64) };
  const holding = placed.filter((order) =>
    order.tests.some((test) => test.testCode === testCode || test.loinc === testCode),
  );
  return holding.length === 1 ? { orderId: holding[0]!.orderId } : {};
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

/**
 * The same from preliminary to final to corrected (lab_result_available's
 * resultId): analyzer, specimen and the whole universal test id, so a
 * panel and its analyte lines never share one (docs/devices.md#result-identity).
 */
function resultIdOf(deviceId: string, specimenId: string, testId: string, occurrence: number): string {
  const identity = [deviceId, specimenId, testId, ...(occurrence > 0 ? [String(occurrence)] : [])].join('\n');
  return `lr-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}
