import { describe, expect, it } from 'vitest';
import { hostReplyOf } from '../../../drivers/astm/astmHostReply.ts';
import { type HostRecordsContext, ordersMessage } from '../../../drivers/astm/astmOrderRecords.ts';
import { componentsOf, fieldOf, parseMessages } from '../../../drivers/astm/astmRecords.ts';
import { analyzerMappingOf, noMapping } from '../../../drivers/lab/analyzerMapping.ts';
import { inMemoryLabOrderBook, placedOrder } from '../../harness/labOrderBookInMemory.ts';

const context = (overrides: Partial<HostRecordsContext> = {}): HostRecordsContext => ({
  analyzer: 'Mindray BS-240',
  utcOffset: '+02:00',
  mapping: noMapping,
  now: new Date('2026-12-07T09:00:00.000Z'),
  patientOf: (patientId) =>
    patientId === 'patient-1' ? { mrn: 'MRN-42', familyName: 'Osman', givenName: 'Amna' } : undefined,
  sendPatientName: false,
  ...overrides,
});

/** The reply as the analyzer reads it: one message, its P and O records. */
function read(records: string[]) {
  const parsed = parseMessages(records);
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]!;
}

describe('the orders the gateway sends an analyzer (E1394 H, P, O, L)', () => {
  it('names the specimen, each test, the priority, the time and the report type of a query reply', () => {
    const records = ordersMessage([placedOrder()], 'query', context());
    expect(records[0]).toBe('H|\\^&|||NileCare^gateway|||||Mindray BS-240||P|LIS2-A2|20261207110000');
    expect(records.at(-1)).toBe('L|1|N');
    const message = read(records);
    const order = message.patients[0]!.orders[0]!.record!;
    expect(fieldOf(order, 3)).toBe('SPC-0001');
    expect(fieldOf(order, 5)).toBe('^^^K\\^^^NA');
    expect(fieldOf(order, 6)).toBe('S'); // stat
    expect(fieldOf(order, 7)).toBe('20261207103000'); // the analyzer's local time
    expect(fieldOf(order, 12)).toBe('N'); // new order
    expect(fieldOf(order, 16)).toBe('serum');
    expect(fieldOf(order, 26)).toBe('Q'); // response to query
  });

  it('maps routine to R and urgent to A, and an order download is report type O', () => {
    const [routine, urgent] = [placedOrder({ priority: 'routine' }), placedOrder({ priority: 'urgent' })];
    const message = read(ordersMessage([routine, urgent], 'download', context()));
    const orders = message.patients[0]!.orders.map((order) => order.record!);
    expect(orders.map((order) => fieldOf(order, 6))).toEqual(['R', 'A']);
    expect(orders.map((order) => fieldOf(order, 26))).toEqual(['O', 'O']);
  });

  it("sends the analyzer's own test codes, read backwards from the drivers file's testCodes", () => {
    const mapping = analyzerMappingOf({ '717': 'K', '^^^NA^1': 'NA', '999': '2951-2' }, {});
    const message = read(ordersMessage([placedOrder()], 'query', context({ mapping })));
    expect(fieldOf(message.patients[0]!.orders[0]!.record!, 5)).toBe('^^^717\\^^^NA^1');
  });

  it('tells the analyzer the MRN, and the name only where the drivers file allows it', () => {
    const withoutName = read(ordersMessage([placedOrder()], 'query', context()));
    expect(fieldOf(withoutName.patients[0]!.record!, 3)).toBe('MRN-42');
    expect(fieldOf(withoutName.patients[0]!.record!, 6) ?? '').toBe('');
    const withName = read(ordersMessage([placedOrder()], 'query', context({ sendPatientName: true })));
    expect(componentsOf(fieldOf(withName.patients[0]!.record!, 6), withName.delimiters)).toEqual([
      'Osman',
      'Amna',
    ]);
  });

  it('escapes delimiters in a specimen id so the analyzer reads it back unchanged', () => {
    const message = read(ordersMessage([placedOrder({ specimenId: 'A|B^C' })], 'query', context()));
    const order = message.patients[0]!.orders[0]!.record!;
    expect(componentsOf(fieldOf(order, 3), message.delimiters)).toEqual(['A|B^C']);
  });

  it("groups two patients' orders each under its own P record", () => {
    const other = placedOrder({ orderId: 'ord-2', patientId: 'patient-2', specimenId: 'SPC-2' });
    const message = read(ordersMessage([placedOrder(), other], 'query', context()));
    expect(message.patients.map((patient) => fieldOf(patient.record, 3))).toEqual(['MRN-42', 'patient-2']);
  });

  it('answers "no information available" (L|1|I) when there is no order to run', () => {
    expect(ordersMessage([], 'query', context())).toEqual([
      'H|\\^&|||NileCare^gateway|||||Mindray BS-240||P|LIS2-A2|20261207110000',
      'L|1|I',
    ]);
  });
});

describe('the reply to a host query', () => {
  const book = inMemoryLabOrderBook([
    placedOrder(),
    placedOrder({ orderId: 'ord-haem', specimenId: 'SPC-0001', performer: 'haem-1' }),
    placedOrder({ orderId: 'ord-gone', specimenId: 'SPC-0009', status: 'cancelled' }),
  ]);

  it("holds the specimen's open orders for this analyzer or for no analyzer in particular", () => {
    const reply = hostReplyOf([{ kind: 'specimens', specimenIds: ['SPC-0001'] }], book, 'chem-1', context());
    expect(reply).toMatchObject({ kind: 'reply', orders: 1, specimens: 1 });
    const haem = hostReplyOf([{ kind: 'specimens', specimenIds: ['SPC-0001'] }], book, 'haem-1', context());
    expect(haem).toMatchObject({ kind: 'reply', orders: 2 });
  });

  it('is "no information" for a cancelled order, an unknown specimen, ALL and a range', () => {
    for (const query of [
      { kind: 'specimens', specimenIds: ['SPC-0009', 'SPC-NONE'] },
      { kind: 'all' },
      { kind: 'range', from: 'SPC-0000', to: 'SPC-9999' },
    ] as const) {
      const reply = hostReplyOf([query], book, 'chem-1', context());
      expect(reply.kind === 'reply' && reply.records.at(-1)).toBe('L|1|I');
    }
  });

  it('is nothing for a cancel, and "error in last request" (L|1|Q) for an unreadable query', () => {
    expect(hostReplyOf([{ kind: 'cancel' }], book, 'chem-1', context())).toEqual({ kind: 'none' });
    const refused = hostReplyOf([{ kind: 'unreadable', reason: 'no specimen' }], book, 'chem-1', context());
    expect(refused).toMatchObject({ kind: 'refused', reason: 'no specimen' });
    expect(refused.kind === 'refused' && refused.records.at(-1)).toBe('L|1|Q');
  });
});
