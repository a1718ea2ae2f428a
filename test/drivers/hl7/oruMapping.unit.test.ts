import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAck } from '../../../drivers/hl7/hl7Ack.ts';
import { fieldValue, parseHl7 } from '../../../drivers/hl7/hl7Message.ts';
import { mapOruR01, type OruContext } from '../../../drivers/hl7/oruMapping.ts';
import { noMapping } from '../../../drivers/lab/analyzerMapping.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import { hl7Samples, pcd01Message } from '../../harness/hl7Testdata.ts';

let counter = 0;
const context = (registered: string[] = []): OruContext => ({
  facility: { facilityId: 'facility-test', tenantId: 'tenant-test' },
  newId: () => {
    counter += 1;
    return `0190f3c2-0000-7000-8000-${String(counter).padStart(12, '0')}`;
  },
  resolvePatient: (ids) => ids.find((id) => registered.includes(id)),
  assumedUtcOffsetMinutes: 0,
  mapping: noMapping,
});

const parse = (text: string) => {
  const parsed = parseHl7(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
};

describe('ORU^R01 lab results (public sample LAB-ORU-1)', () => {
  const sample = hl7Samples()
    .find((s) => s.name === 'LAB-ORU-1.hl7')!
    .bytes.toString('utf8');

  it('makes one valid lab_result_available per OBX with a result, and none for pending ones', () => {
    const mapping = mapOruR01(parse(sample), context());
    expect(mapping.ok).toBe(true);
    if (!mapping.ok) return;
    expect(mapping.drafts.map((d) => d.eventType)).toEqual(Array(8).fill('lab_result_available'));
    expect(mapping.notRecorded).toEqual([
      { code: '11156-7', why: 'no_result' },
      { code: '20509-6', why: 'no_result' },
    ]);
    for (const draft of mapping.drafts)
      expect(validateDraft(draft).ok, JSON.stringify(draft.data)).toBe(true);
  });

  it('reads code, value, unit, flags, status, specimen and times from the segments', () => {
    const mapping = mapOruR01(parse(sample), context());
    if (!mapping.ok) throw new Error(mapping.reason);
    const erythrocytes = mapping.drafts[0]!;
    expect(erythrocytes.data).toEqual({
      resultId: '82503246-11273-0',
      orderId: '88502218',
      specimen: { specimenId: 'SpecimenID', type: 'whole_blood', collectedAt: '2014-10-06T05:35:00.000Z' },
      testCode: '11273-0',
      testName: 'ERYTHROCYTES',
      value: 4.06,
      unit: 'tera.l-1',
      flags: ['N'],
      resultStatus: 'preliminary',
      observedAt: '2014-10-06T06:27:00.000Z',
      // OBR-22 is empty in this sample (its date sits in OBR-23): the message time stands in.
      reportedAt: '2014-10-06T06:45:00.000Z',
    });
    expect(mapping.drafts[2]!.data).toMatchObject({ testCode: '11125-2', value: 221, resultStatus: 'final' });
  });

  it('files results under the registered patient PID-3 names, else under the facility with the identifier as MRN', () => {
    const known = mapOruR01(parse(sample), context(['10006579']));
    const unknown = mapOruR01(parse(sample), context());
    if (!known.ok || !unknown.ok) throw new Error('mapping failed');
    expect(known.drafts[0]).toMatchObject({ patientId: '10006579' });
    expect(unknown.drafts[0]!.patientId).toBeUndefined();
    expect(unknown.drafts[0]).toMatchObject({
      patientMRN: '10006579',
      metadata: { hl7: { patientMatched: false } },
    });
    // Never the name from PID-5.
    expect(JSON.stringify(unknown.drafts)).not.toContain('DUCK');
  });
});

describe('ORU^R01 vital signs (IHE PCD-01, MDC codes)', () => {
  it('makes one vital_signs_recorded in the event units, preferring the ECG heart rate', () => {
    const mapping = mapOruR01(parse(pcd01Message('MSG-1', 'P-1')), context(['P-1']));
    if (!mapping.ok) throw new Error(mapping.reason);
    expect(mapping.drafts).toHaveLength(1);
    const vitals = mapping.drafts[0]!;
    expect(validateDraft(vitals).ok).toBe(true);
    expect(vitals).toMatchObject({
      eventType: 'vital_signs_recorded',
      patientId: 'P-1',
      timestamp: '2026-11-26T08:29:55.000Z',
    });
    expect(vitals.data).toEqual({
      method: 'device',
      deviceId: 'B40_GE',
      bed: 'A1',
      measuredAt: '2026-11-26T08:29:55.000Z',
      oxygenSaturation: { value: 97, unit: '%' },
      heartRate: { value: 86, unit: '/min' },
      systolicBloodPressure: { value: 118, unit: 'mm[Hg]' },
      diastolicBloodPressure: { value: 76, unit: 'mm[Hg]' },
      respiratoryRate: { value: 18, unit: '/min' },
      temperature: { value: 37, unit: 'Cel' },
    });
    expect(mapping.notRecorded).toEqual([
      { code: '149530', why: 'superseded' },
      { code: '150023', why: 'unmapped_code' },
    ]);
  });

  it('refuses a vital sign in a unit it cannot convert (AE, table 0357 code 103)', () => {
    const text = pcd01Message('MSG-2', 'P-1').replace('262688^MDC_DIM_PERCENT^MDC', 'g/L');
    expect(mapOruR01(parse(text), context())).toMatchObject({
      ok: false,
      acknowledgement: 'AE',
      hl7Error: '103',
    });
  });
});

describe('messages the gateway does not accept', () => {
  it('answers AR for another message type and AR for a missing control id', () => {
    const adt = parse('MSH|^~\\&|A|B|C|D|20261126||ADT^A01|X1|P|2.5\rPID|||1');
    expect(mapOruR01(adt, context())).toMatchObject({ ok: false, acknowledgement: 'AR', hl7Error: '200' });
    const noId = parse('MSH|^~\\&|A|B|C|D|20261126||ORU^R01||P|2.5\rOBX|1|NM|X^Y^LN||1');
    expect(mapOruR01(noId, context())).toMatchObject({ ok: false, acknowledgement: 'AR', hl7Error: '101' });
  });

  it('answers AE for a numeric result that is not a number', () => {
    const bad = parse(
      'MSH|^~\\&|A|B|C|D|20261126||ORU^R01|X2|P|2.5\rOBR|1|P1|F1\rOBX|1|NM|2345-7^GLU^LN||high|mmol/L|||||F',
    );
    expect(mapOruR01(bad, context())).toMatchObject({ ok: false, acknowledgement: 'AE', hl7Error: '102' });
  });

  it('never throws on mutated messages, and every draft it yields is valid (fuzz)', () => {
    const sample = hl7Samples()[0]!.bytes.toString('latin1');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sample.length), fc.integer({ min: 32, max: 126 })), { maxLength: 10 }),
        (edits) => {
          const chars = [...sample];
          for (const [at, code] of edits) chars[at] = String.fromCharCode(code);
          const parsed = parseHl7(chars.join(''));
          if (!parsed.ok) return;
          const mapping = mapOruR01(parsed.message, context());
          if (!mapping.ok) return;
          // Drafts may still fail the catalogue (the recorder quarantines those); they must be well-formed events.
          for (const draft of mapping.drafts)
            expect(['lab_result_available', 'vital_signs_recorded']).toContain(draft.eventType);
        },
      ),
    );
  });
});

describe('the ACK', () => {
  it('answers the control id with the sender and receiver swapped', () => {
    const message = parse(pcd01Message('MSG-9', 'P-1'));
    const ack = parse(
      buildAck({ message, code: 'AA', controlId: 'A1', now: new Date('2026-11-26T10:00:00Z') }),
    );
    const [msh, msa] = ack.segments;
    expect(fieldValue(msh, 3)).toBe('NILECARE');
    expect(fieldValue(msh, 5)).toBe('B40_GE');
    expect(fieldValue(msh, 9, 1)).toBe('ACK');
    expect([fieldValue(msa, 1), fieldValue(msa, 2)]).toEqual(['AA', 'MSG-9']);
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
  });

  it('carries the reason, escaped, and an ERR segment for AE', () => {
    const message = parse(pcd01Message('MSG-9', 'P-1'));
    const text = buildAck({
      message,
      code: 'AE',
      reason: 'unit "g|L" unknown',
      hl7Error: '103',
      controlId: 'A2',
      now: new Date(),
    });
    const ack = parse(text);
    expect(fieldValue(ack.segments[1], 3)).toBe('unit "g|L" unknown');
    expect(fieldValue(ack.segments[2], 3, 1)).toBe('103');
  });
});

describe('ORU^R01 lab values read by their value type', () => {
  const message = (obx: string[], spm = '') =>
    [
      'MSH|^~\\&|LAB|CLINIC|GW|CLINIC|20261201083000||ORU^R01|SN-1|P|2.5.1',
      'PID|1||MRN-5',
      'OBR|1|PL-1|FI-1|24331-1^Lipid panel^LN|||20261201080000',
      ...obx,
      ...(spm ? [spm] : []),
    ].join('\r');

  it('stores an SN value (^182, <^5, ^1^:^128) instead of answering AA with nothing stored', () => {
    const mapping = mapOruR01(
      parse(
        message([
          'OBX|1|SN|1554-5^GLUCOSE^LN||^182|mg/dl|70_105|H|||F',
          'OBX|2|SN|2345-7^GLUCOSE^LN||<^5|mmol/L||L|||F',
          'OBX|3|SN|5196-1^HBsAg titre^LN||^1^:^128||||||F',
        ]),
      ),
      context(),
    );
    if (!mapping.ok) throw new Error(mapping.reason);
    expect(mapping.labObservations).toBe(3);
    expect(mapping.empty).toEqual([]);
    expect(mapping.drafts.map((draft) => [draft.data.value, draft.data.comparator])).toEqual([
      [182, undefined],
      [5, '<'],
      ['1:128', undefined],
    ]);
    expect(mapping.drafts[0]!.data.referenceRange).toEqual({ low: 70, high: 105 });
    for (const draft of mapping.drafts) expect(validateDraft(draft).ok).toBe(true);
  });

  it('answers AE for a value its type says is a number but is not', () => {
    const mapping = mapOruR01(parse(message(['OBX|1|SN|1554-5^GLUCOSE^LN||^high|mg/dl||||||F'])), context());
    expect(mapping).toMatchObject({ ok: false, acknowledgement: 'AE', hl7Error: '102' });
  });

  it('accounts for an OBX without a result (empty, or status D): quarantined, not silently passed over', () => {
    const mapping = mapOruR01(
      parse(
        message([
          'OBX|1|NM|2823-3^K^LN||4.1|mmol/L||N|||F',
          'OBX|2|NM|2951-2^Na^LN||||||||F',
          'OBX|3|NM|718-7^Hb^LN||9|g/dL|||||D',
        ]),
      ),
      context(),
    );
    if (!mapping.ok) throw new Error(mapping.reason);
    expect(mapping.labObservations).toBe(3);
    expect(mapping.drafts).toHaveLength(1);
    expect(mapping.empty.map((empty) => empty.reason)).toEqual([
      expect.stringMatching(/OBX-5 holds no value/),
      expect.stringMatching(/OBX-11 is D/),
    ]);
    expect(mapping.empty[0]!.raw).toBe('OBX|2|NM|2951-2^Na^LN||||||||F');
  });

  it('puts the NTE after an OBX into its note, and marks a control specimen (SPM-11 Q) as qc under no patient', () => {
    const mapping = mapOruR01(
      parse(
        message(
          ['OBX|1|NM|2823-3^K^LN||6.9|mmol/L||HH|||F', 'NTE|1|L|Specimen haemolysed'],
          'SPM|1|QC-LOT-7||SER|||||||Q',
        ),
      ),
      context(['MRN-5']),
    );
    if (!mapping.ok) throw new Error(mapping.reason);
    const [draft] = mapping.drafts;
    expect(draft?.data).toMatchObject({ note: 'Specimen haemolysed', qc: { control: 'QC-LOT-7' } });
    expect(draft?.patientId).toBeUndefined();
    expect(validateDraft(draft!).ok).toBe(true);
  });
});

describe('ORU^R01 results matched to the order they answer', () => {
  const oru = (orc: string, obr: string, spm = 'SPM|1|SPC-7||SER') =>
    [
      'MSH|^~\\&|LIS|LAB|NILECARE|CLINIC|20261207101500||ORU^R01|MSG-1|P|2.5.1',
      'PID|1||MRN-1',
      ...(orc ? [orc] : []),
      obr,
      'OBX|1|NM|2823-3^Potassium^LN||6.8|mmol/L|3.5-5.1|HH|||F|||20261207100000',
      spm,
    ].join('\r');
  const order = (orderId: string, testCodes: string[]) => ({
    orderId,
    specimenId: 'SPC-7',
    specimenType: 'serum',
    patientId: 'p-1',
    tests: testCodes.map((testCode) => ({ testCode, testName: testCode, loinc: testCode })),
    priority: 'stat' as const,
    orderedAt: '2026-12-07T08:00:00.000Z',
    status: 'ordered' as const,
  });
  const first = (text: string, orders: ReturnType<typeof order>[] = []) => {
    const mapping = mapOruR01(parse(text), { ...context(), ordersForSpecimen: () => orders });
    if (!mapping.ok) throw new Error(mapping.reason);
    return mapping.drafts[0]!;
  };

  it('carries the placer order number (OBR-2) as the orderId, and keeps the filler number (OBR-3)', () => {
    const draft = first(oru('ORC|RE|ord-0007|LAB-991', 'OBR|1|ord-0007|LAB-991|2823-3^Potassium^LN'));
    expect(draft.data.orderId).toBe('ord-0007');
    expect(draft.metadata?.hl7).toMatchObject({ fillerOrderNumber: 'LAB-991' });
  });

  it('reads the placer and filler numbers from ORC-2 and ORC-3 when the OBR leaves them out', () => {
    const draft = first(oru('ORC|RE|ord-0008|LAB-992', 'OBR|1|||2823-3^Potassium^LN'));
    expect(draft.data.orderId).toBe('ord-0008');
    expect(draft.metadata?.hl7).toMatchObject({ fillerOrderNumber: 'LAB-992' });
  });

  it("with no order number, finds the gateway's one order on the specimen that holds the test", () => {
    const orders = [order('ord-cbc', ['HGB']), order('ord-k', ['2823-3'])];
    expect(first(oru('', 'OBR|1|||2823-3^Potassium^LN'), orders).data.orderId).toBe('ord-k');
    const ambiguous = [order('ord-a', ['2823-3']), order('ord-b', ['2823-3'])];
    expect(first(oru('', 'OBR|1|||2823-3^Potassium^LN'), ambiguous).data.orderId).toBeUndefined();
  });
});
