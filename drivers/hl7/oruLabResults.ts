import { createHash } from 'node:crypto';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import { type AnalyzerMapping, mappedQuantity, mappedTestCode } from '../lab/analyzerMapping.ts';
import { labFlagsOf } from '../lab/labFlags.ts';
import { recordableCode } from '../lab/recordableCode.ts';
import { referenceRangeOf } from '../lab/referenceRange.ts';
import { numberOf, type ResultValue, structuredNumeric, valueOfComponents } from '../lab/resultValue.ts';
import { fieldValue, type Hl7Segment, repetitionsOf } from './hl7Message.ts';
import type { OrderGroup } from './oruGroups.ts';
import { envelope, hl7Time, type MessageHeader, type OruContext, Refusal, type Who } from './oruContext.ts';

/** OBX-11 (HL7 table 0085) to the catalogue's result status; other statuses are not results to record. */
const resultStatuses: Record<string, 'preliminary' | 'final' | 'corrected'> = {
  F: 'final',
  C: 'corrected',
  A: 'corrected',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  '': 'preliminary',
  X: 'final',
};

/** Why an OBX with these statuses is not recorded as a result, for its quarantine row. */
const notAResult: Record<string, string> = {
  D: 'OBX-11 is D (delete the earlier result): a deletion is not applied without a person',
  W: 'OBX-11 is W (the earlier result was wrong, e.g. for the wrong patient): not applied without a person',
  I: 'OBX-11 is I (specimen in the lab, result pending): there is no result yet',
  N: 'OBX-11 is N (not asked): there is no result',
  U: 'OBX-11 is U (status changed to final without retransmitting the result): nothing to record',
};

/** HL7 table 0487 specimen types to the catalogue's. */
const specimenTypes: Record<string, string> = {
  BLD: 'whole_blood',
  BLDA: 'whole_blood',
  BLDV: 'whole_blood',
  BLDC: 'capillary_blood',
  SER: 'serum',
  PLAS: 'plasma',
  UR: 'urine',
  URNS: 'urine',
  STL: 'stool',
  CSF: 'csf',
  SPT: 'sputum',
  SWAB: 'swab',
};

/** SPM-11 specimen roles (HL7 table 0369) that are control material, not a patient's specimen. */
const qcRoles: Record<string, string> = {
  Q: 'control specimen',
  E: 'electronic QC',
  C: 'calibrator',
  F: 'filler organisation proficiency',
  O: 'operator proficiency',
};

/** One OBX: a result to record, or one with no result, quarantined so the message's count adds up. */
export type LabObservation =
  | { kind: 'result'; draft: EventDraft }
  | { kind: 'empty'; reason: string; raw: string };

export interface LabObservationAt {
  observedAt: string;
  messageTime: string;
  who: Who;
  code: string;
  status: string;
  /** How many OBX of this order had the same code and sub-id before this one. */
  occurrence: number;
}

/** One OBX with a lab result (LOINC or a local code) as lab_result_available (pure). */
export function labObservation(
  obx: Hl7Segment,
  order: OrderGroup,
  header: MessageHeader,
  at: LabObservationAt,
  context: OruContext & { mapping: AnalyzerMapping },
): LabObservation {
  const raw = obx.raw ?? `OBX ${at.code}`;
  if (notAResult[at.status])
    return { kind: 'empty', reason: `OBX ${at.code}: ${notAResult[at.status]}`, raw };
  const resultStatus = resultStatuses[at.status];
  if (!resultStatus)
    return { kind: 'empty', reason: `OBX ${at.code}: OBX-11 "${at.status}" is not a result status`, raw };
  const reported = labValue(obx, at.code) ?? (at.status === 'X' ? { value: 'not done' } : undefined);
  if (!reported) return { kind: 'empty', reason: `OBX ${at.code}: OBX-5 holds no value`, raw };
  const obr = order.obr;
  const filler = fieldValue(obr, 3).trim();
  const placer = fieldValue(obr, 2).trim();
  const subId = fieldValue(obx, 4).trim();
  const resultKey = `${filler || placer || header.controlId}-${at.code}${subId ? `-${subId}` : ''}${at.occurrence > 0 ? `#${at.occurrence}` : ''}`;
  const spm = order.specimen;
  const specimenId = fieldValue(spm, 2, 1).trim() || fieldValue(spm, 2, 2).trim() || filler || placer;
  const collectedAt = hl7Time(fieldValue(spm, 17, 1), context, 'SPM-17');
  const unitText = fieldValue(obx, 6, 1).trim() || fieldValue(obx, 6, 2).trim() || undefined;
  const quantity = mappedQuantity(context.mapping, reported, unitText);
  const range = referenceRangeOf(repetitionsOf(obx, 7)[0]?.map((component) => component.join('&')) ?? []);
  const { flags, unknownFlags } = labFlagsOf(
    repetitionsOf(obx, 8).map((repetition) => repetition[0]?.[0] ?? ''),
  );
  const reportedAt = hl7Time(fieldValue(obr, 22), context, 'OBR-22') ?? at.messageTime;
  const qcRole = qcRoles[fieldValue(spm, 11).trim().toUpperCase()];
  const notes = [
    ...(resultStatus === 'corrected' ? [`corrected by the sender (OBX-11 = ${at.status})`] : []),
    ...(at.status === 'X' ? ['the sender could not produce this result (OBX-11 = X)'] : []),
    ...(unknownFlags.length > 0 ? [`flags: ${unknownFlags.join(', ')}`] : []),
    ...(order.notes.get(obx) ?? []).map((nte) => commentOf(nte)).filter((text) => text !== ''),
  ];
  const testCode =
    mappedTestCode(context.mapping, [`${at.code}^${fieldValue(obx, 3, 3).trim()}`, at.code]) ?? at.code;
  const data: Record<string, unknown> = {
    resultId:
      resultKey.length <= 64 ? resultKey : createHash('sha256').update(resultKey).digest('hex').slice(0, 64),
    ...(qcRole ? {} : orderIdOf(order, fieldValue(spm, 2, 1).trim(), recordableCode(testCode), context)),
    specimen: {
      specimenId: (specimenId || header.controlId).slice(0, 64),
      type: specimenTypes[fieldValue(spm, 4).trim().toUpperCase()] ?? 'other',
      ...(collectedAt ? { collectedAt } : {}),
    },
    testCode: recordableCode(testCode),
    testName: (fieldValue(obx, 3, 2).trim() || at.code).slice(0, 200),
    value: quantity.value.value,
    ...(quantity.value.comparator ? { comparator: quantity.value.comparator } : {}),
    ...(quantity.unit ? { unit: quantity.unit.slice(0, 32) } : {}),
    ...(range ? { referenceRange: range } : {}),
    ...(flags.length > 0 ? { flags } : {}),
    resultStatus,
    ...(notes.length > 0 ? { note: notes.join('; ').slice(0, 1000) } : {}),
    ...(qcRole ? { qc: { control: (specimenId || qcRole).slice(0, 64) } } : {}),
    observedAt: at.observedAt,
    reportedAt,
  };
  const draft = envelope(
    'lab_result_available',
    at.observedAt,
    qcRole ? {} : at.who,
    header,
    context,
    gatewaySources.labDriver,
    data,
  );
  const fillerOrderNumber = filler || fieldValue(order.orc, 3).trim();
  const hl7 = {
    ...(draft.metadata?.hl7 as Record<string, unknown>),
    observation: fieldValue(obx, 1).trim().slice(0, 16),
    // The laboratory's own number for the order (OBR-3, else ORC-3), for finding it in the LIS.
    ...(fillerOrderNumber ? { fillerOrderNumber: fillerOrderNumber.slice(0, 64) } : {}),
  };
  draft.metadata = { ...draft.metadata, hl7, ...(quantity.reported ? { reported: quantity.reported } : {}) };
  return { kind: 'result', draft };
}

/**
 * The order a result answers (docs/devices.md#results-matched-by-order-number): the
 * placer order number (OBR-2, else ORC-2), which is the gateway's orderId
 * for an order it sent, or an outside LIS's own; with none, on a specimen
 * (SPM-2) the gateway ordered, the one order that holds this test.
 */
function orderIdOf(
  order: OrderGroup,
  specimenId: string,
  testCode: string,
  context: OruContext,
): { orderId?: string } {
  const placer = fieldValue(order.obr, 2).trim() || fieldValue(order.orc, 2).trim();
  if (placer) return { orderId: placer.slice(0, 64) };
  if (!specimenId) return {};
  const holding = (context.ordersForSpecimen?.(specimenId) ?? []).filter((placed) =>
    placed.tests.some((test) => test.testCode === testCode || test.loinc === testCode),
  );
  return holding.length === 1 ? { orderId: holding[0]!.orderId } : {};
}

/**
 * OBX-5 by its value type (OBX-2, HL7 2.5.1 table 0125): NM a number, SN
 * a structured numeric ("<^5", "^182", "^1^:^128"), CE/CWE the text of the
 * code (else the code), text types as written. A value that its type says
 * is a number but is not is refused (AE), never recorded as something else.
 */
function labValue(obx: Hl7Segment, code: string): ResultValue | undefined {
  const type = fieldValue(obx, 2).trim().toUpperCase();
  const components = repetitionsOf(obx, 5)[0]?.map((component) => component.join('&')) ?? [];
  if (components.every((component) => component.trim() === '')) return undefined;
  if (type === 'NM') {
    const number = numberOf(components[0] ?? '');
    if (number === undefined || components.slice(1).some((part) => part.trim() !== ''))
      throw new Refusal('102', `OBX ${code}: NM value "${components.join('^')}" is not a number`);
    return { value: number };
  }
  if (type === 'SN') {
    const read = structuredNumeric(components);
    if (!read.ok) throw new Refusal('102', `OBX ${code}: ${read.reason}`);
    return read.value;
  }
  if (type === 'CE' || type === 'CWE' || type === 'CNE') {
    const text = (components[1] ?? '').trim() || (components[0] ?? '').trim();
    return text ? { value: text.slice(0, 200) } : undefined;
  }
  return valueOfComponents(components);
}

function commentOf(nte: Hl7Segment): string {
  return repetitionsOf(nte, 3)
    .map((repetition) =>
      repetition
        .map((component) => component.join('&'))
        .join(' ')
        .trim(),
    )
    .filter((text) => text !== '')
    .join(' ');
}
