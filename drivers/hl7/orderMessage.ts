import type { PlacedLabOrder } from '../../gateway/pluginApi.ts';
import { type Delimiters, escapeHl7 } from './hl7Message.ts';
import { isoToHl7Time } from './hl7Time.ts';

/** The order messages a laboratory system may be sent (docs/devices.md#orders-to-a-laboratory-system-hl7). */
export const orderMessageTypes = ['OML^O21', 'ORM^O01'] as const;
export type OrderMessageType = (typeof orderMessageTypes)[number];

/** ORC-1 order control (HL7 2.5.1 table 0119): NW a new order, CA cancel it. */
export type OrderControl = 'NW' | 'CA';

/** Who the patient is, as far as the laboratory system may know. */
export interface PatientForLis {
  mrn?: string;
  familyName?: string;
  givenName?: string;
}

export interface OrderMessageInput {
  order: PlacedLabOrder;
  control: OrderControl;
  messageType: OrderMessageType;
  /** MSH-10, unique per message and kept across retries (the laboratory system deduplicates by it). */
  controlId: string;
  /** The patient as registered; the name only when the listener's `sendPatientName` allows it. */
  patient: PatientForLis | undefined;
  sendPatientName: boolean;
  /** MSH-3/4 and MSH-5/6. */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  now: Date;
}

export const orderDelimiters: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** TQ1-9 priority (HL7 2.5.1 table 0485): S stat, A as soon as possible, R routine. */
const priorityCode: Record<PlacedLabOrder['priority'], string> = { stat: 'S', urgent: 'A', routine: 'R' };

/** SPM-4 specimen type (HL7 2.5.1 table 0487) of the catalogue's specimen types. */
const specimenTypeCode: Record<string, string> = {
  whole_blood: 'BLD^Whole blood',
  capillary_blood: 'BLDC^Blood capillary',
  serum: 'SER^Serum',
  plasma: 'PLAS^Plasma',
  urine: 'UR^Urine',
  stool: 'STL^Stool',
  csf: 'CSF^Cerebral spinal fluid',
  sputum: 'SPT^Sputum',
  swab: 'SWAB^Swab',
};

/**
 * An order to a laboratory system as HL7 v2.5.1 (pure): `OML^O21` (MSH, PID,
 * PV1, then per test ORC, TQ1, OBR, SPM) or `ORM^O01` (MSH, PID, PV1, then
 * per test ORC, TQ1, OBR with the specimen id in OBR-18). ORC-2 and OBR-2
 * carry the gateway's order id as placer order number, so the results the
 * laboratory sends back land on the order (docs/devices.md#results-matched-by-order-number).
 * Segments end with CR (HL7 2.5.1 section 2.5.1); free text is escaped.
 */
export function buildOrderMessage(input: OrderMessageInput): string {
  const { order } = input;
  const segments = [mshSegment(input), pidSegment(input), 'PV1|1|O'];
  for (const [index, test] of order.tests.entries()) {
    segments.push(orcSegment(input), tq1Segment(order));
    segments.push(obrSegment(input, test, index + 1));
    if (input.messageType === 'OML^O21') segments.push(spmSegment(order));
  }
  return `${segments.join('\r')}\r`;
}

const esc = (text: string) => escapeHl7(text, orderDelimiters);

function mshSegment(input: OrderMessageInput): string {
  const [type, trigger] = input.messageType.split('^') as [string, string];
  return [
    'MSH',
    '^~\\&',
    esc(input.sendingApplication),
    esc(input.sendingFacility),
    esc(input.receivingApplication),
    '',
    isoToHl7Time(input.now),
    '',
    `${type}^${trigger}^${type}_${trigger}`,
    esc(input.controlId),
    'P',
    '2.5.1',
    '',
    '',
    'AL', // MSH-15: accept acknowledgement always (original mode is answered the same way)
    'NE',
  ].join('|');
}

function pidSegment(input: OrderMessageInput): string {
  const { patient } = input;
  const identifier = patient?.mrn ? `${esc(patient.mrn)}^^^^MR` : `${esc(input.order.patientId)}^^^^PI`;
  const name =
    input.sendPatientName && patient?.familyName
      ? `${esc(patient.familyName)}^${esc(patient.givenName ?? '')}`
      : '';
  return ['PID', '1', '', identifier, '', name].join('|').replace(/\|+$/, '');
}

function orcSegment(input: OrderMessageInput): string {
  const { order } = input;
  const id = esc(order.orderId);
  // ORC-1 control, ORC-2 placer order number, ORC-4 placer group (the whole order), ORC-9 transaction time.
  return ['ORC', input.control, id, '', id, '', '', '', '', isoToHl7Time(input.now)].join('|');
}

function tq1Segment(order: PlacedLabOrder): string {
  // TQ1-7 start date/time: when it was ordered; TQ1-9 priority (table 0485).
  return [
    'TQ1',
    '1',
    '',
    '',
    '',
    '',
    '',
    isoToHl7Time(new Date(order.orderedAt)),
    '',
    priorityCode[order.priority],
  ].join('|');
}

function obrSegment(input: OrderMessageInput, test: PlacedLabOrder['tests'][number], setId: number): string {
  const { order } = input;
  // OBR-4 universal service id: the catalogue's code and name (L, local), then LOINC as the alternate (LN).
  const service = [esc(test.testCode), esc(test.testName), 'L'];
  if (test.loinc) service.push(esc(test.loinc), esc(test.testName), 'LN');
  const fields = ['OBR', String(setId), esc(order.orderId), '', service.join('^')];
  if (input.messageType === 'ORM^O01') {
    // ORM^O01 has no SPM: OBR-5 priority (table 0485), OBR-18 placer field 1 the specimen id.
    fields.push(
      priorityCode[order.priority],
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      esc(order.specimenId),
    );
  }
  return fields.join('|');
}

function spmSegment(order: PlacedLabOrder): string {
  const type = specimenTypeCode[order.specimenType] ?? `${esc(order.specimenType)}^^L`;
  // SPM-2 specimen id (placer assigned: the tube's barcode), SPM-4 type (table 0487).
  return ['SPM', '1', `${esc(order.specimenId)}&NILECARE`, '', type].join('|');
}
