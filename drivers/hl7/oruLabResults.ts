import { createHash } from 'node:crypto';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import { labResultFlags } from '../../kernel/events/schemas/lab.ts';
import { fieldValue, type Hl7Segment, repetitionsOf } from './hl7Message.ts';
import type { OrderGroup } from './oruGroups.ts';
import {
  envelope,
  hl7Time,
  type MessageHeader,
  numeric,
  type OruContext,
  Refusal,
  type Who,
} from './oruContext.ts';

/** One OBX with a lab result (LOINC or a local code) as lab_result_available (pure). */
const resultStatuses: Record<string, 'preliminary' | 'final' | 'corrected'> = {
  F: 'final',
  C: 'corrected',
  A: 'corrected',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  '': 'preliminary',
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

export function labDraft(
  obx: Hl7Segment,
  order: OrderGroup,
  header: MessageHeader,
  at: { observedAt: string; messageTime: string; who: Who; code: string; status: string },
  context: OruContext,
): EventDraft | undefined {
  const resultStatus = resultStatuses[at.status];
  const value = labValue(obx, at.code);
  if (!resultStatus || value === undefined) return undefined;
  const obr = order.obr;
  const filler = fieldValue(obr, 3).trim();
  const placer = fieldValue(obr, 2).trim();
  const subId = fieldValue(obx, 4).trim();
  const resultKey = `${filler || placer || header.controlId}-${at.code}${subId ? `-${subId}` : ''}`;
  const spm = order.specimen;
  const specimenId = fieldValue(spm, 2, 1).trim() || fieldValue(spm, 2, 2).trim() || filler || placer;
  const collectedAt = hl7Time(fieldValue(spm, 17, 1), context, 'SPM-17');
  const unit = fieldValue(obx, 6, 1).trim();
  const range = referenceRange(fieldValue(obx, 7).trim());
  const flags = repetitionsOf(obx, 8)
    .map((repetition) => repetition[0]?.[0]?.trim() ?? '')
    .filter((flag): flag is (typeof labResultFlags)[number] =>
      (labResultFlags as readonly string[]).includes(flag),
    );
  const reportedAt = hl7Time(fieldValue(obr, 22), context, 'OBR-22') ?? at.messageTime;
  const data: Record<string, unknown> = {
    resultId:
      resultKey.length <= 64 ? resultKey : createHash('sha256').update(resultKey).digest('hex').slice(0, 64),
    ...(placer ? { orderId: placer.slice(0, 64) } : {}),
    specimen: {
      specimenId: (specimenId || header.controlId).slice(0, 64),
      type: specimenTypes[fieldValue(spm, 4).trim().toUpperCase()] ?? 'other',
      ...(collectedAt ? { collectedAt } : {}),
    },
    testCode: at.code,
    testName: (fieldValue(obx, 3, 2).trim() || at.code).slice(0, 200),
    value,
    ...(unit ? { unit } : {}),
    ...(range ? { referenceRange: range } : {}),
    ...(flags.length > 0 ? { flags: [...new Set(flags)] } : {}),
    resultStatus,
    ...(resultStatus === 'corrected' ? { note: `corrected by the sender (OBX-11 = ${at.status})` } : {}),
    observedAt: at.observedAt,
    reportedAt,
  };
  return envelope(
    'lab_result_available',
    at.observedAt,
    at.who,
    header,
    context,
    gatewaySources.labDriver,
    data,
  );
}

function labValue(obx: Hl7Segment, code: string): number | string | undefined {
  const type = fieldValue(obx, 2).trim();
  const first = fieldValue(obx, 5);
  if (first.trim() === '') return undefined;
  if (type === 'NM') {
    const number = numeric(first);
    if (number === undefined) throw new Refusal('102', `OBX ${code}: value "${first}" is not a number`);
    return number;
  }
  if (type === 'CE' || type === 'CWE') return fieldValue(obx, 5, 2).trim() || first.trim();
  // SN (structured numeric: comparator, number, separator, number) and text types.
  const components = obx.fields[5]?.[0]?.map((component) => component.join('&')) ?? [first];
  return components.join('').trim();
}

function referenceRange(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined;
  const match = /^(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)$/.exec(text);
  if (match) return { low: Number(match[1]), high: Number(match[2]) };
  return { text: text.slice(0, 100) };
}
