import { createHash } from 'node:crypto';
import type { FacilityContext } from '../../gateway/broker/deviceEvents.ts';
import type { EventDraft } from '../../gateway/events/envelope.ts';
import { gatewaySources } from '../../gateway/events/eventTypeSpec.ts';
import type { IdSource } from '../../gateway/events/ids.ts';
import { labResultFlags } from '../../gateway/events/schemas/lab.ts';
import { type VitalParameter, vitalParameterSpecs } from '../../gateway/events/schemas/vitals.ts';
import { type Hl7Message, type Hl7Segment, repetitionsOf, segmentsNamed, fieldValue } from './hl7Message.ts';
import { hl7TimeToIso } from './hl7Time.ts';
import { mdcUnitConverters, mdcVital } from './mdcVitals.ts';
import { type OrderGroup, oruGroups, type PatientGroup, patientIdentifiers } from './oruGroups.ts';

export interface OruContext {
  facility: FacilityContext;
  newId: IdSource;
  /** The registered patient one of the PID-3 identifiers names (patientId or MRN), if any. */
  resolvePatient: (identifiers: readonly string[]) => string | undefined;
  /** Offset from UTC of the sender's clock, for HL7 times sent without one. */
  assumedUtcOffsetMinutes: number;
}

/** HL7 table 0357 error codes used in the ACK's ERR segment. */
export type Hl7ErrorCode = '100' | '101' | '102' | '103' | '200' | '201' | '207';

export type OruMapping =
  | {
      ok: true;
      /** Drafts in message order; the first carries the retransmission key. */
      drafts: EventDraft[];
      /** Observations the gateway has no place for (MDC codes not mapped, results not yet available). */
      notRecorded: { code: string; why: 'unmapped_code' | 'no_result' | 'superseded' }[];
    }
  | { ok: false; acknowledgement: 'AE' | 'AR'; hl7Error: Hl7ErrorCode; reason: string };

export interface MessageHeader {
  controlId: string;
  sendingApplication: string;
  sendingFacility: string;
  messageType: string;
  triggerEvent: string;
  time: string;
}

export function messageHeader(message: Hl7Message): MessageHeader {
  const msh = message.segments[0];
  return {
    controlId: fieldValue(msh, 10),
    sendingApplication: fieldValue(msh, 3),
    sendingFacility: fieldValue(msh, 4),
    messageType: fieldValue(msh, 9, 1),
    triggerEvent: fieldValue(msh, 9, 2),
    time: fieldValue(msh, 7),
  };
}

class Refusal extends Error {
  constructor(
    readonly hl7Error: Hl7ErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * ORU^R01 to events (pure). OBX coded in MDC (IHE PCD-01, mdcVitals.ts) become
 * one vital_signs_recorded per order group; every other OBX with a result
 * (LOINC, local lab codes) becomes a lab_result_available. The patient is
 * the registered one PID-3 names; one not registered here is still recorded,
 * under the facility with PID-3's identifier as patientMRN, as the
 * catalogue allows for these two types (subject patientOrFacility).
 */
export function mapOruR01(message: Hl7Message, context: OruContext): OruMapping {
  const header = messageHeader(message);
  if (header.controlId === '') return refuse('AR', '101', 'MSH-10 (message control id) is empty');
  if (header.messageType !== 'ORU' || header.triggerEvent !== 'R01')
    return refuse('AR', '200', `${header.messageType}^${header.triggerEvent} is not accepted: only ORU^R01`);
  const messageTime = hl7TimeToIso(header.time, context.assumedUtcOffsetMinutes);
  if (!messageTime) return refuse('AE', '102', `MSH-7 "${header.time}" is not an HL7 date/time`);
  const drafts: EventDraft[] = [];
  const notRecorded: { code: string; why: 'unmapped_code' | 'no_result' | 'superseded' }[] = [];
  try {
    for (const patient of oruGroups(message)) {
      const identifiers = patientIdentifiers(patient.pid);
      const patientId = context.resolvePatient(identifiers);
      const who: Who = patientId ? { patientId } : identifiers[0] ? { patientMRN: identifiers[0] } : {};
      for (const order of patient.orders) {
        const mapped = mapOrder(order, patient, header, messageTime, who, context);
        drafts.push(...mapped.drafts);
        notRecorded.push(...mapped.notRecorded);
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return refuse('AE', error.hl7Error, error.message);
    throw error;
  }
  if (segmentsNamed(message, 'OBX').length === 0)
    return refuse('AE', '101', 'the ORU^R01 holds no OBX segment');
  return { ok: true, drafts, notRecorded };
}

function refuse(acknowledgement: 'AE' | 'AR', hl7Error: Hl7ErrorCode, reason: string): OruMapping {
  return { ok: false, acknowledgement, hl7Error, reason };
}

type Who = { patientId?: string; patientMRN?: string };

function mapOrder(
  order: OrderGroup,
  patient: PatientGroup,
  header: MessageHeader,
  messageTime: string,
  who: Who,
  context: OruContext,
) {
  const drafts: EventDraft[] = [];
  const notRecorded: { code: string; why: 'unmapped_code' | 'no_result' | 'superseded' }[] = [];
  const vitals = new Map<
    VitalParameter,
    { code: string; rank: number; value: number; at: string; deviceId: string }
  >();
  const orderTime = hl7Time(fieldValue(order.obr, 7), context, 'OBR-7') ?? messageTime;
  for (const obx of order.observations) {
    const code = fieldValue(obx, 3, 1).trim();
    const system = fieldValue(obx, 3, 3).trim().toUpperCase();
    const status = fieldValue(obx, 11).trim().toUpperCase();
    const rawValue = fieldValue(obx, 5);
    const observedAt = hl7Time(fieldValue(obx, 14), context, `OBX-14 of ${code}`) ?? orderTime;
    if (system === 'MDC' || mdcVital(code)) {
      const vital = mdcVital(code);
      if (rawValue === '' || ['X', 'D', 'W', 'I', 'N'].includes(status)) {
        if (vital) notRecorded.push({ code, why: 'no_result' });
        continue;
      }
      if (!vital) {
        notRecorded.push({ code, why: 'unmapped_code' });
        continue;
      }
      const value = vitalValue(obx, vital.parameter, code);
      const earlier = vitals.get(vital.parameter);
      if (earlier && earlier.rank <= vital.rank) {
        notRecorded.push({ code, why: 'superseded' });
        continue;
      }
      if (earlier) notRecorded.push({ code: earlier.code, why: 'superseded' });
      const deviceId = fieldValue(obx, 18).trim() || header.sendingApplication || 'hl7';
      vitals.set(vital.parameter, {
        code,
        rank: vital.rank,
        value,
        at: observedAt,
        deviceId: deviceId.slice(0, 64),
      });
      continue;
    }
    const lab = labDraft(obx, order, header, { observedAt, messageTime, who, code, status }, context);
    if (lab) drafts.push(lab);
    else notRecorded.push({ code, why: 'no_result' });
  }
  if (vitals.size > 0) drafts.unshift(vitalsDraft(vitals, patient, header, who, context));
  return { drafts, notRecorded };
}

function vitalValue(obx: Hl7Segment, parameter: VitalParameter, code: string): number {
  if (fieldValue(obx, 2).trim() !== 'NM')
    throw new Refusal('102', `OBX ${code}: value type "${fieldValue(obx, 2)}" is not NM (numeric)`);
  const number = numeric(fieldValue(obx, 5));
  if (number === undefined)
    throw new Refusal('102', `OBX ${code}: value "${fieldValue(obx, 5)}" is not a number`);
  const unit = fieldValue(obx, 6, 1).trim() || fieldValue(obx, 6, 2).trim();
  const convert =
    mdcUnitConverters[parameter][unit] ?? mdcUnitConverters[parameter][fieldValue(obx, 6, 2).trim()];
  if (!convert) throw new Refusal('103', `OBX ${code}: unit "${unit}" is not a unit of ${parameter}`);
  return Math.round(convert(number) * 100) / 100;
}

function vitalsDraft(
  vitals: Map<VitalParameter, { value: number; at: string; deviceId: string }>,
  patient: PatientGroup,
  header: MessageHeader,
  who: Who,
  context: OruContext,
): EventDraft {
  const first = [...vitals.values()][0]!;
  const bed = fieldValue(patient.pv1, 3, 3).trim() || fieldValue(patient.pv1, 3, 2).trim();
  const data: Record<string, unknown> = {
    method: 'device',
    deviceId: first.deviceId,
    ...(bed ? { bed: bed.slice(0, 32) } : {}),
    measuredAt: first.at,
  };
  for (const [parameter, { value }] of vitals)
    data[parameter] = { value, unit: vitalParameterSpecs[parameter].unit };
  return envelope('vital_signs_recorded', first.at, who, header, context, gatewaySources.deviceIngest, data);
}

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

function labDraft(
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

function numeric(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : undefined;
}

function referenceRange(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined;
  const match = /^(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)$/.exec(text);
  if (match) return { low: Number(match[1]), high: Number(match[2]) };
  return { text: text.slice(0, 100) };
}

function hl7Time(value: string, context: OruContext, field: string): string | undefined {
  if (value.trim() === '') return undefined;
  const iso = hl7TimeToIso(value, context.assumedUtcOffsetMinutes);
  if (!iso) throw new Refusal('102', `${field} "${value}" is not an HL7 date/time`);
  return iso;
}

function envelope(
  eventType: string,
  timestamp: string,
  who: Who,
  header: MessageHeader,
  context: OruContext,
  source: string,
  data: Record<string, unknown>,
): EventDraft {
  const { facility } = context;
  return {
    eventId: context.newId(),
    eventType,
    timestamp,
    version: '1.0',
    ...who,
    facilityId: facility.facilityId,
    tenantId: facility.tenantId,
    ...(facility.sudanState ? { sudanState: facility.sudanState } : {}),
    source,
    metadata: {
      hl7: {
        controlId: header.controlId.slice(0, 64),
        sendingApplication: header.sendingApplication.slice(0, 64),
        ...(who.patientId ? {} : { patientMatched: false }),
      },
    },
    data: data as EventDraft['data'],
  };
}
