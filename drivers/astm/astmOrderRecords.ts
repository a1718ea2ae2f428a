import type { PlacedLabOrder } from '../../gateway/pluginApi.ts';
import type { AnalyzerMapping } from '../lab/analyzerMapping.ts';
import type { Delimiters } from './astmRecords.ts';
import { formatAstmDateTime } from './astmTime.ts';

/**
 * The host's side of E1394 as pure functions: the records of a reply to a
 * host query and of an order download (H, then P and its O records per
 * order, then L), and the reply that there is nothing to run.
 */

/** The delimiters the gateway declares in its H record: "|\^&", the E1394 recommendation. */
export const hostDelimiters: Delimiters = { field: '|', repeat: '\\', component: '^', escape: '&' };

/** Who the patient is, as far as the analyzer may know (docs/devices.md#host-queries-and-orders-to-the-analyzer). */
export interface PatientForAnalyzer {
  mrn?: string;
  familyName?: string;
  givenName?: string;
}

export interface HostRecordsContext {
  /** The analyzer's model, named as the H record's receiver. */
  analyzer?: string;
  /** The analyzer clock's offset from UTC: E1394 date-times have no zone. */
  utcOffset: string;
  /** drivers.json `testCodes` of this analyzer: read backwards, catalogue code → analyzer code. */
  mapping: AnalyzerMapping;
  now: Date;
  patientOf(patientId: string): PatientForAnalyzer | undefined;
  /** Whether the patient's name goes in P.6 (else the MRN alone; docs/devices.md#host-queries-and-orders-to-the-analyzer). */
  sendPatientName: boolean;
}

/** Why the orders go: an answer to a query (O.26 "Q") or an order the host downloads (O.26 "O"). */
export type OrderPurpose = 'query' | 'download';

/** E1394 O.6 priority: S stat, A as soon as possible, R routine. */
const priorityCode: Record<PlacedLabOrder['priority'], string> = { stat: 'S', urgent: 'A', routine: 'R' };

/**
 * E1394 L.3 termination codes: N normal end; I no information available
 * for the last query (the "no orders" reply); Q error in the last request.
 */
export type TerminationCode = 'N' | 'I' | 'Q';

/** E1394 escapes for text placed in a field: the delimiters as &F& &R& &S& &E&. */
export function escapeText(value: string, d: Delimiters = hostDelimiters): string {
  let out = '';
  for (const char of value) {
    if (char === d.escape) out += `${d.escape}E${d.escape}`;
    else if (char === d.field) out += `${d.escape}F${d.escape}`;
    else if (char === d.repeat) out += `${d.escape}R${d.escape}`;
    else if (char === d.component) out += `${d.escape}S${d.escape}`;
    else if (char === '\r' || char === '\n') out += ' ';
    else out += char;
  }
  return out;
}

/** H record: delimiters, sender "NileCare", receiver the analyzer, processing id P, version LIS2-A2, time. */
export function headerRecord(context: HostRecordsContext): string {
  const receiver = context.analyzer ? escapeText(context.analyzer) : '';
  const at = formatAstmDateTime(context.now, context.utcOffset);
  return `H|\\^&|||NileCare^gateway|||||${receiver}||P|LIS2-A2|${at}`;
}

export const terminatorRecord = (code: TerminationCode): string => `L|1|${code}`;

/**
 * The analyzer's code for a catalogue test: the drivers.json `testCodes`
 * key that maps to it (or to its LOINC code), else the catalogue code itself.
 * A key that is a whole universal test id ("^^^717^1") is sent as it is; a
 * manufacturer code ("717") goes in component 4 (E1394 universal test id).
 */
export function analyzerTestId(test: PlacedLabOrder['tests'][number], mapping: AnalyzerMapping): string {
  const entries = Object.entries(mapping.testCodes);
  const key =
    entries.find(([, code]) => code === test.testCode)?.[0] ??
    (test.loinc ? entries.find(([, code]) => code === test.loinc)?.[0] : undefined);
  if (key?.includes('^')) return key;
  return `^^^${escapeText(key ?? test.testCode)}`;
}

/** P record: sequence, P.3 the patient's MRN (else the gateway's patient id), P.6 the name if allowed. */
export function patientRecord(sequence: number, order: PlacedLabOrder, context: HostRecordsContext): string {
  const patient = context.patientOf(order.patientId);
  const id = escapeText(patient?.mrn ?? order.patientId);
  const name =
    context.sendPatientName && patient?.familyName
      ? `${escapeText(patient.familyName)}^${escapeText(patient.givenName ?? '')}`
      : '';
  // Trailing empty fields are left out (E1394 allows it).
  return `P|${sequence}|${id}|||${name}`.replace(/\|+$/, '');
}

/**
 * O record: O.3 specimen id (the tube's barcode), O.5 the tests as
 * repeats, O.6 priority, O.7 requested time, O.12 action code "N" (new
 * order) or "C" (cancel), O.16 specimen type, O.26 report type "Q"
 * (response to query) or "O" (order).
 */
export function orderRecord(
  sequence: number,
  order: PlacedLabOrder,
  purpose: OrderPurpose,
  context: HostRecordsContext,
): string {
  const tests = order.tests.map((test) => analyzerTestId(test, context.mapping)).join('\\');
  const fields = [
    'O',
    String(sequence),
    escapeText(order.specimenId),
    '',
    tests,
    priorityCode[order.priority],
    formatAstmDateTime(order.orderedAt, context.utcOffset),
    '',
    '',
    '',
    '',
    order.status === 'cancelled' ? 'C' : 'N',
    '',
    '',
    '',
    escapeText(order.specimenType),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    purpose === 'query' ? 'Q' : 'O',
  ];
  return fields.join('|');
}

/**
 * The whole message: H, then per patient a P record and one O record per
 * order, then L|1|N; with no orders, H and L|1|I ("no information
 * available for the last query", E1394 L.3).
 */
export function ordersMessage(
  orders: readonly PlacedLabOrder[],
  purpose: OrderPurpose,
  context: HostRecordsContext,
): string[] {
  if (orders.length === 0) return [headerRecord(context), terminatorRecord('I')];
  const records = [headerRecord(context)];
  const byPatient = new Map<string, PlacedLabOrder[]>();
  for (const order of orders)
    byPatient.set(order.patientId, [...(byPatient.get(order.patientId) ?? []), order]);
  let patientSequence = 0;
  for (const patientOrders of byPatient.values()) {
    patientSequence += 1;
    records.push(patientRecord(patientSequence, patientOrders[0]!, context));
    for (const [index, order] of patientOrders.entries())
      records.push(orderRecord(index + 1, order, purpose, context));
  }
  records.push(terminatorRecord('N'));
  return records;
}
