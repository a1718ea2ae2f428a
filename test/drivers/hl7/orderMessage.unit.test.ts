import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValue, parseHl7, segmentsNamed } from '../../../drivers/hl7/hl7Message.ts';
import { buildOrderMessage, type OrderMessageInput } from '../../../drivers/hl7/orderMessage.ts';
import { placedOrder } from '../../harness/labOrderBookInMemory.ts';

const input = (overrides: Partial<OrderMessageInput> = {}): OrderMessageInput => ({
  order: placedOrder({ performer: 'lis-main' }),
  control: 'NW',
  messageType: 'OML^O21',
  controlId: 'NWord0001',
  patient: { mrn: 'MRN-77', familyName: 'Ahmed', givenName: 'Fatima' },
  sendPatientName: false,
  sendingApplication: 'NILECARE',
  sendingFacility: 'khartoum-clinic-1',
  receivingApplication: 'LIS',
  now: new Date('2026-12-07T08:31:00.000Z'),
  ...overrides,
});

const parsed = (text: string) => {
  const result = parseHl7(text);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
};

describe('an order to a laboratory system as OML^O21 (HL7 2.5.1)', () => {
  it('has the segments in the order the message structure gives: MSH PID PV1, then ORC TQ1 OBR SPM per test', () => {
    const text = buildOrderMessage(input());
    expect(text.endsWith('\r')).toBe(true);
    expect(text.includes('\n')).toBe(false);
    expect(parsed(text).segments.map((segment) => segment.name)).toEqual([
      ...['MSH', 'PID', 'PV1'],
      ...['ORC', 'TQ1', 'OBR', 'SPM'],
      ...['ORC', 'TQ1', 'OBR', 'SPM'],
    ]);
  });

  it('puts the message type, control id and version in MSH-9, MSH-10 and MSH-12', () => {
    const msh = parsed(buildOrderMessage(input())).segments[0];
    expect(fieldValue(msh, 3)).toBe('NILECARE');
    expect(fieldValue(msh, 4)).toBe('khartoum-clinic-1');
    expect(fieldValue(msh, 5)).toBe('LIS');
    expect(fieldValue(msh, 7)).toBe('20261207083100+0000');
    expect([fieldValue(msh, 9, 1), fieldValue(msh, 9, 2), fieldValue(msh, 9, 3)]).toEqual([
      'OML',
      'O21',
      'OML_O21',
    ]);
    expect(fieldValue(msh, 10)).toBe('NWord0001');
    expect(fieldValue(msh, 12)).toBe('2.5.1');
  });

  it('identifies the patient by MRN in PID-3 and leaves the name out unless the listener allows it', () => {
    const without = segmentsNamed(parsed(buildOrderMessage(input())), 'PID')[0];
    expect([fieldValue(without, 3, 1), fieldValue(without, 3, 5)]).toEqual(['MRN-77', 'MR']);
    expect(fieldValue(without, 5)).toBe('');
    expect(buildOrderMessage(input())).not.toContain('Ahmed');
    const named = segmentsNamed(parsed(buildOrderMessage(input({ sendPatientName: true }))), 'PID')[0];
    expect([fieldValue(named, 5, 1), fieldValue(named, 5, 2)]).toEqual(['Ahmed', 'Fatima']);
  });

  it('carries the order id as placer order number in ORC-2 and OBR-2, with ORC-1 NW or CA', () => {
    for (const control of ['NW', 'CA'] as const) {
      const message = parsed(buildOrderMessage(input({ control })));
      for (const orc of segmentsNamed(message, 'ORC')) {
        expect(fieldValue(orc, 1)).toBe(control);
        expect(fieldValue(orc, 2)).toBe('ord-0001');
      }
      expect(segmentsNamed(message, 'OBR').map((obr) => fieldValue(obr, 2))).toEqual([
        'ord-0001',
        'ord-0001',
      ]);
    }
  });

  it('names each test by catalogue code (L) and LOINC (LN) in OBR-4, with the priority in TQ1-9 by table 0485', () => {
    const message = parsed(buildOrderMessage(input()));
    const obr = segmentsNamed(message, 'OBR')[0];
    expect([1, 2, 3, 4, 5, 6].map((component) => fieldValue(obr, 4, component))).toEqual([
      'K',
      'Potassium',
      'L',
      '2823-3',
      'Potassium',
      'LN',
    ]);
    expect(fieldValue(obr, 1)).toBe('1');
    expect(fieldValue(segmentsNamed(message, 'OBR')[1], 1)).toBe('2');
    const priorities = (priority: 'stat' | 'urgent' | 'routine') =>
      fieldValue(
        segmentsNamed(parsed(buildOrderMessage(input({ order: placedOrder({ priority }) }))), 'TQ1')[0],
        9,
      );
    expect([priorities('stat'), priorities('urgent'), priorities('routine')]).toEqual(['S', 'A', 'R']);
    expect(fieldValue(segmentsNamed(message, 'TQ1')[0], 7)).toBe('20261207083000+0000');
  });

  it('gives the specimen id in SPM-2 and its type by table 0487 in SPM-4', () => {
    const spm = segmentsNamed(parsed(buildOrderMessage(input())), 'SPM')[0];
    expect(fieldValue(spm, 2, 1, 0, 1)).toBe('SPC-0001');
    expect([fieldValue(spm, 4, 1), fieldValue(spm, 4, 2)]).toEqual(['SER', 'Serum']);
  });

  it('escapes delimiters in free text (a test name, a patient name), so no field shifts', () => {
    const order = placedOrder({ tests: [{ testCode: 'X|1', testName: 'Na^K & Cl~ \\ ratio' }] });
    const text = buildOrderMessage(
      input({
        order,
        sendPatientName: true,
        patient: { mrn: 'M|1', familyName: 'El^Tayeb', givenName: 'A&B' },
      }),
    );
    const message = parsed(text);
    const obr = segmentsNamed(message, 'OBR')[0];
    expect(fieldValue(obr, 4, 1)).toBe('X|1');
    expect(fieldValue(obr, 4, 2)).toBe('Na^K & Cl~ \\ ratio');
    expect(fieldValue(obr, 4, 3)).toBe('L');
    const pid = segmentsNamed(message, 'PID')[0];
    expect([fieldValue(pid, 3), fieldValue(pid, 5, 1), fieldValue(pid, 5, 2)]).toEqual([
      'M|1',
      'El^Tayeb',
      'A&B',
    ]);
    expect(text).toContain('X\\F\\1^Na\\S\\K \\T\\ Cl\\R\\ \\E\\ ratio^L');
  });

  it('round-trips any order text through the gateway’s own HL7 parser', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 40, unit: 'grapheme' })
      .filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(text, text, text, text, (testCode, testName, specimenId, mrn) => {
        const order = placedOrder({ specimenId, tests: [{ testCode, testName, loinc: '2823-3' }] });
        const message = parsed(
          buildOrderMessage(input({ order, patient: { mrn, familyName: testName }, sendPatientName: true })),
        );
        const obr = segmentsNamed(message, 'OBR')[0];
        const spm = segmentsNamed(message, 'SPM')[0];
        const pid = segmentsNamed(message, 'PID')[0];
        expect(fieldValue(obr, 4, 1)).toBe(testCode);
        expect(fieldValue(obr, 4, 2)).toBe(testName);
        expect(fieldValue(obr, 4, 4)).toBe('2823-3');
        expect(fieldValue(spm, 2, 1, 0, 1)).toBe(specimenId);
        expect(fieldValue(pid, 3)).toBe(mrn);
        expect(fieldValue(pid, 5)).toBe(testName);
        expect(message.segments.map((segment) => segment.name)).toEqual([
          'MSH',
          'PID',
          'PV1',
          'ORC',
          'TQ1',
          'OBR',
          'SPM',
        ]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('an order to a laboratory system as ORM^O01', () => {
  it('has ORC TQ1 OBR per test and no SPM, with the priority in OBR-5 and the specimen id in OBR-18', () => {
    const message = parsed(buildOrderMessage(input({ messageType: 'ORM^O01' })));
    expect(message.segments.map((segment) => segment.name)).toEqual([
      ...['MSH', 'PID', 'PV1'],
      ...['ORC', 'TQ1', 'OBR'],
      ...['ORC', 'TQ1', 'OBR'],
    ]);
    const msh = message.segments[0];
    expect([fieldValue(msh, 9, 1), fieldValue(msh, 9, 2)]).toEqual(['ORM', 'O01']);
    const obr = segmentsNamed(message, 'OBR')[0];
    expect(fieldValue(obr, 2)).toBe('ord-0001');
    expect(fieldValue(obr, 5)).toBe('S');
    expect(fieldValue(obr, 18)).toBe('SPC-0001');
  });
});
