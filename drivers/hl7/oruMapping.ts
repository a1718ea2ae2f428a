import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import { type VitalParameter, vitalParameterSpecs } from '../../kernel/events/schemas/vitals.ts';
import { fieldValue, type Hl7Message, type Hl7Segment, segmentsNamed } from './hl7Message.ts';
import { hl7TimeToIso } from './hl7Time.ts';
import { mdcUnitConverters, mdcVital } from './mdcVitals.ts';
import {
  envelope,
  type Hl7ErrorCode,
  hl7Time,
  type MessageHeader,
  messageHeader,
  numeric,
  type OruContext,
  type OruMapping,
  Refusal,
  type Who,
} from './oruContext.ts';
import { type OrderGroup, oruGroups, type PatientGroup, patientIdentifiers } from './oruGroups.ts';
import { labObservation } from './oruLabResults.ts';

export type { Hl7ErrorCode, OruContext, OruMapping } from './oruContext.ts';
export { messageHeader } from './oruContext.ts';

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
  const empty: { code: string; reason: string; raw: string }[] = [];
  let labObservations = 0;
  try {
    for (const patient of oruGroups(message)) {
      const identifiers = patientIdentifiers(patient.pid);
      const patientId = context.resolvePatient(identifiers);
      const who: Who = patientId ? { patientId } : identifiers[0] ? { patientMRN: identifiers[0] } : {};
      for (const order of patient.orders) {
        const mapped = mapOrder(order, patient, header, messageTime, who, context);
        drafts.push(...mapped.drafts);
        notRecorded.push(...mapped.notRecorded);
        empty.push(...mapped.empty);
        labObservations += mapped.labObservations;
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return refuse('AE', error.hl7Error, error.message);
    throw error;
  }
  if (segmentsNamed(message, 'OBX').length === 0)
    return refuse('AE', '101', 'the ORU^R01 holds no OBX segment');
  return { ok: true, drafts, notRecorded, empty, labObservations };
}

function refuse(acknowledgement: 'AE' | 'AR', hl7Error: Hl7ErrorCode, reason: string): OruMapping {
  return { ok: false, acknowledgement, hl7Error, reason };
}

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
  const empty: { code: string; reason: string; raw: string }[] = [];
  const seen = new Map<string, number>();
  let labObservations = 0;
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
    const identity = `${code}\u0000${fieldValue(obx, 4).trim()}`;
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    labObservations += 1;
    const lab = labObservation(
      obx,
      order,
      header,
      { observedAt, messageTime, who, code, status, occurrence },
      context,
    );
    if (lab.kind === 'result') drafts.push(lab.draft);
    else {
      empty.push({ code, reason: lab.reason, raw: lab.raw });
      notRecorded.push({ code, why: 'no_result' });
    }
  }
  if (vitals.size > 0) drafts.unshift(vitalsDraft(vitals, patient, header, who, context));
  return { drafts, notRecorded, empty, labObservations };
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
