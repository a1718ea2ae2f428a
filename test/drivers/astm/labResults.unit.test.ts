import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../../drivers/astm/astmFrame.ts';
import { delimitersOf, parseMessages, unescapeText } from '../../../drivers/astm/astmRecords.ts';
import { astmDateTime } from '../../../drivers/astm/astmTime.ts';
import { recordableCode } from '../../../drivers/lab/recordableCode.ts';
import { type LabResultContext, labResultsOf as itemsOf } from '../../../drivers/astm/labResults.ts';
import { analyzerMappingOf, noMapping } from '../../../drivers/lab/analyzerMapping.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import { astmCapture, framesOf } from '../../harness/astmAnalyzer.ts';

const context = (overrides: Partial<LabResultContext> = {}): LabResultContext => ({
  deviceId: 'analyzer-1',
  facility: { facilityId: 'facility-1', tenantId: 'tenant-1' },
  utcOffset: '+02:00',
  specimenType: 'serum',
  mapping: noMapping,
  receivedAt: '2026-11-26T10:00:00.000Z',
  findPatient: () => undefined,
  newId: uuidV7,
  ...overrides,
});

/** The results to record of a message (the R records with something to record). */
function labResultsOf(...args: Parameters<typeof itemsOf>) {
  const { items } = itemsOf(...args);
  const results = items.flatMap((item) => (item.kind === 'result' ? [item] : []));
  return { results, empty: items.length - results.length };
}

function recordsOf(file: string): string[] {
  return framesOf(astmCapture(file))
    .map((raw) => parseFrame(raw))
    .map((verdict) => (verdict.ok ? verdict.frame.text : ''))
    .join('')
    .split('\r')
    .filter((record) => record !== '');
}

describe('ASTM E1394 records', () => {
  it('reads the delimiters the H record declares, and refuses one declared twice (mini_vidas_mock)', () => {
    expect(delimitersOf('H!@#$!!')).toEqual({
      ok: true,
      delimiters: { field: '!', repeat: '@', component: '#', escape: '$' },
    });
    const mock = parseMessages(recordsOf('mini_vidas_mock.txt'));
    expect(mock).toEqual({ ok: false, reason: expect.stringMatching(/delimiter twice/) });
  });

  it('decodes escape sequences with the declared escape character', () => {
    const d = { field: '|', repeat: '\\', component: '^', escape: '&' };
    expect(unescapeText('PNG&R&a&F&b&S&c&E&', d)).toBe('PNG\\a|b^c&');
  });

  it('refuses records that come before any H record: not ASTM', () => {
    expect(parseMessages(['R|1|^^^K|5'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/before any H/),
    });
  });

  it('reads messages with non-default delimiters', () => {
    const parsed = parseMessages([
      'H!@#$',
      'P!1!!PID-9',
      'O!1!SPEC-1',
      'R!1!###GLU!2.1!mmol/L!!LL!!F!!!!20261126083000',
      'L!1',
    ]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [result] = labResultsOf(
      parsed.messages[0]!,
      context({ findPatient: (pid) => (pid === 'PID-9' ? 'p-9' : undefined) }),
    ).results;
    expect(result?.draft.patientId).toBe('p-9');
    expect(result?.draft.data).toMatchObject({
      testCode: 'GLU',
      value: 2.1,
      flags: ['LL'],
      specimen: { specimenId: 'SPEC-1' },
    });
    expect(result?.draft.timestamp).toBe('2026-11-26T06:30:00.000Z');
  });

  it('turns every capture into lab_result_available drafts the catalogue accepts', () => {
    const expected: Record<string, number> = {
      'abbott_afinion2.txt': 1,
      'cobas_c111.txt': 1,
      'cobas_c311.txt': 7,
      'pentra_xlr.txt': 21,
      'sysmex_xn550.txt': 41,
      'sysmex_xp100.txt': 20,
    };
    for (const [file, count] of Object.entries(expected)) {
      const parsed = parseMessages(recordsOf(file));
      expect(parsed.ok, file).toBe(true);
      if (!parsed.ok) continue;
      const results = parsed.messages.flatMap((message) => labResultsOf(message, context()).results);
      expect(results, file).toHaveLength(count);
      for (const result of results) {
        const verdict = validateDraft(result.draft);
        expect(verdict.ok ? [] : verdict.issues, `${file} ${JSON.stringify(result.draft.data)}`).toEqual([]);
      }
    }
  });

  it('reads the Roche c311 test codes without the dilution, the result time from the O record', () => {
    const parsed = parseMessages(recordsOf('cobas_c311.txt'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const results = labResultsOf(parsed.messages[0]!, context()).results;
    expect(results.map((result) => result.draft.data.testCode)).toEqual([
      '685',
      '687',
      '712',
      '158',
      '735',
      '717',
      '690',
    ]);
    expect(results[0]!.draft.data).toMatchObject({
      value: 22.4,
      unit: 'U/l',
      flags: ['A'],
      specimen: { specimenId: '11625' },
    });
    expect(results[0]!.draft.timestamp).toBe('2024-02-03T11:20:11.000Z');
  });

  it('keeps a result whose patient is not registered, filed under the facility with its specimen', () => {
    const parsed = parseMessages(recordsOf('abbott_afinion2.txt'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const [result] = labResultsOf(parsed.messages[0]!, context()).results;
    expect(result?.matchedPatient).toBe(false);
    expect(result?.draft.patientId).toBeUndefined();
    expect(result?.draft.data).toMatchObject({
      testCode: 'HbA1c',
      value: 5.9,
      unit: '%',
      specimen: { specimenId: '5' },
    });
  });

  it("maps codes outside the catalogue pattern and the port's own test code map", () => {
    expect(recordableCode('NEUT#')).toBe('NEUT-ABS');
    expect(recordableCode('LYM%')).toBe('LYM-PCT');
    const parsed = parseMessages(['H|\\^&', 'O|1|S-1', 'R|1|^^^717|9.9|mmol/l', 'L|1']);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [result] = labResultsOf(
      parsed.messages[0]!,
      context({ mapping: analyzerMappingOf({ '717': 'GLU' }, {}) }),
    ).results;
    expect(result?.draft.data.testCode).toBe('GLU');
  });

  it('reads analyzer times in the configured zone and refuses dates that do not exist', () => {
    expect(astmDateTime('20240627135407', '+02:00')).toBe('2024-06-27T11:54:07.000Z');
    expect(astmDateTime('20240230', '+02:00')).toBeUndefined();
    expect(astmDateTime('2024', 'Z')).toBeUndefined();
  });

  it('never throws on random records, and never makes a result without an H record', () => {
    const record = fc.string({ maxLength: 60 });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), (records) => {
        const parsed = parseMessages(records);
        if (!parsed.ok) return;
        expect(records.some((raw) => raw.startsWith('H'))).toBe(true);
        for (const message of parsed.messages) labResultsOf(message, context());
      }),
    );
  });

  it('carries the order id from O.3, and keeps the instrument specimen id of O.4 beside it', () => {
    const c311 = parseMessages(recordsOf('cobas_c311.txt'));
    if (!c311.ok) throw new Error(c311.reason);
    const [first] = labResultsOf(c311.messages[0]!, context()).results;
    expect(first?.draft.data).toMatchObject({ orderId: '11625', specimen: { specimenId: '11625' } });
    expect(first?.draft.metadata).toMatchObject({
      astm: { specimenId: '11625', instrumentSpecimenId: 'R1' },
    });

    const pentra = parseMessages(recordsOf('pentra_xlr.txt'));
    if (!pentra.ok) throw new Error(pentra.reason);
    expect(labResultsOf(pentra.messages[0]!, context()).results[0]?.draft.data.orderId).toBe('S1234');
  });

  it('gives no order id when only the analyzer numbered the sample (O.4), which it reuses every run', () => {
    const sysmex = parseMessages(recordsOf('sysmex_xn550.txt'));
    if (!sysmex.ok) throw new Error(sysmex.reason);
    const [result] = labResultsOf(sysmex.messages[0]!, context()).results;
    expect(result?.draft.data.orderId).toBeUndefined();
    expect(result?.draft.data).toMatchObject({ specimen: { specimenId: '27' } });
    expect(result?.draft.metadata).toMatchObject({ astm: { instrumentSpecimenId: '27' } });
  });

  it("files a result under the patient the P record's ids name, else keeps the first id as patientMRN", () => {
    const sysmex = parseMessages(recordsOf('sysmex_xn550.txt'));
    if (!sysmex.ok) throw new Error(sysmex.reason);
    const unmatched = labResultsOf(sysmex.messages[0]!, context()).results[0]!;
    expect(unmatched.matchedPatient).toBe(false);
    expect(unmatched.draft).toMatchObject({
      patientMRN: '37182',
      metadata: { astm: { patientMatched: false } },
    });
    expect(unmatched.draft.patientId).toBeUndefined();

    const asked: string[] = [];
    const findPatient = (carried: string) => {
      asked.push(carried);
      return carried === 'LAB-9' ? 'p-9' : undefined;
    };
    const parsed = parseMessages(['H|\\^&', 'P|1|PR-1|LAB-9|ID3', 'O|1|ACC-5', 'R|1|^^^K|4.1|mmol/L', 'L|1']);
    if (!parsed.ok) throw new Error(parsed.reason);
    const matched = labResultsOf(parsed.messages[0]!, context({ findPatient })).results[0]!;
    // P.3 practice-assigned first, then P.4 laboratory-assigned.
    expect(asked).toEqual(['PR-1', 'LAB-9']);
    expect(matched.draft).toMatchObject({ patientId: 'p-9', data: { orderId: 'ACC-5' } });
    expect(matched.draft.patientMRN).toBeUndefined();
    expect(validateDraft(matched.draft).ok).toBe(true);
  });

  it('passes over M (manufacturer) and Q (request information) records without losing the results around them', () => {
    const parsed = parseMessages([
      'H|\\^&|||c111^Roche',
      'Q|1|^SPEC-1||^^^ALL||||||||O',
      'P|1||LAB-1',
      'O|1|SPEC-1||^^^GLU',
      'R|1|^^^GLU|5.4|mmol/L',
      'M|1|RR^BM^c111^1|-21|-21\\-21\\1|0.018514',
      'C|1|I|hemolysed|G',
      'R|2|^^^K|4.0|mmol/L',
      'L|1|N',
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.messages[0]!.skipped).toEqual(['Q', 'M']);
    const { results } = labResultsOf(parsed.messages[0]!, context());
    expect(results.map((result) => result.draft.data.testCode)).toEqual(['GLU', 'K']);
    expect(results[0]!.draft.data.note).toBe('hemolysed');
    for (const result of results) expect(validateDraft(result.draft).ok).toBe(true);
  });

  it('reads a host query message (H, Q, L) as a message with nothing to record', () => {
    const parsed = parseMessages(['H|\\^&|||XN-550', 'Q|1|^^   27^M||^^^ALL||||||||O', 'L|1|N']);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.messages[0]!.skipped).toEqual(['Q']);
    expect(labResultsOf(parsed.messages[0]!, context())).toEqual({ results: [], empty: 0 });
  });
});

describe('a cartridge PCR message with results at three levels (panel, analyte, sub-measure)', () => {
  const records = [
    'H|@^\\|URM-1||GeneXpert^4.8|||||LIS||P|1394-97|20250516125515',
    'P|1||PAT-1',
    'O|1|PR25A137||^^^MTB-RIF|R',
    'R|1|^MTB-RIF^^Xpert^Xpert MTB-RIF Ultra^4^MTB^|MTB NOT DETECTED^|||||F||op|20250514121638|20250514132103',
    'C|1|I|Notes^^Id# 118176 Sardani P Lantion CDU/Dr. A Marcil cp|I',
    'R|2|^MTB-RIF^^Xpert^^^rpoB1^|INVALID^|||',
    'R|3|^MTB-RIF^^Xpert^^^rpoB1^Ct|^0.0|||',
    'R|4|^MTB-RIF^^Xpert^^^rpoB1^EndPt|^-2.0|||',
    'R|5|^MTB-RIF^^Xpert^^^SPC^Ct|^24.7|||',
    'R|6|^MTB-RIF^^Trace^^^^|^|||',
    'L|1|N',
  ];

  it('keeps every line as its own result, with its own id, code and value', () => {
    const parsed = parseMessages(records);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { items } = itemsOf(parsed.messages[0]!, context());
    const results = items.flatMap((item) => (item.kind === 'result' ? [item] : []));
    expect(results.map((result) => [result.draft.data.testCode, result.draft.data.value])).toEqual([
      ['Xpert.Xpert_MTB-RIF_Ultra.MTB', 'MTB NOT DETECTED'],
      ['Xpert.rpoB1', 'INVALID'],
      ['Xpert.rpoB1.Ct', 0],
      ['Xpert.rpoB1.EndPt', -2],
      ['Xpert.SPC.Ct', 24.7],
    ]);
    expect(new Set(results.map((result) => result.draft.data.resultId)).size).toBe(5);
    expect(new Set(results.map((result) => result.deviceKey)).size).toBe(5);
    expect(results[1]!.draft.data.testName).toBe('MTB-RIF rpoB1');
    // The panel's own time (R.13); the lines without one take the message's (H.14), never a merge.
    expect(results[0]!.draft.timestamp).toBe('2025-05-14T11:21:03.000Z');
    expect(results[2]!.draft.timestamp).toBe('2025-05-16T10:55:15.000Z');
    // The last line has no value and no flag: quarantined, so all six lines are accounted for.
    expect(items.filter((item) => item.kind === 'empty')).toHaveLength(1);
    for (const result of results) expect(validateDraft(result.draft).ok).toBe(true);
  });

  it("never copies the comment's free text, which names staff, into the result's note", () => {
    const parsed = parseMessages(records);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [panel] = itemsOf(parsed.messages[0]!, context()).items;
    const note = panel?.kind === 'result' ? String(panel.draft.data.note) : '';
    expect(note).not.toMatch(/Sardani|Marcil|118176/);
    expect(note).toMatch(/1 free-text comment from the analyzer not copied/);
  });
});

describe('a quality-control run', () => {
  it('is marked qc, filed under no patient, with its coded comments, when H.12 is Q', () => {
    const parsed = parseMessages([
      'H|\\^&|||H550^1|||||||Q|LIS2-A2|20261201080000',
      'P|1||PAT-9',
      'O|1|CTRL^^CTRL MEDIUM||^^^DIF',
      'C|1|I|CONTROL_FAILED|G',
      'R|1|^^^^WBC^1|7.9|10E3/uL||H||F',
      'L|1|N',
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [qc] = labResultsOf(parsed.messages[0]!, context({ findPatient: () => 'p-9' })).results;
    expect(qc?.qc).toBe(true);
    expect(qc?.draft.patientId).toBeUndefined();
    expect(qc?.draft.patientMRN).toBeUndefined();
    expect(qc?.draft.data).toMatchObject({
      qc: { control: 'CTRL MEDIUM', level: 'MEDIUM' },
      note: 'CONTROL_FAILED',
    });
    expect(qc?.draft.data.orderId).toBeUndefined();
    expect(validateDraft(qc!.draft).ok).toBe(true);
  });

  it('is recognised by the order action code Q or a control specimen id, and a patient sample is not', () => {
    const of = (order: string) => {
      const parsed = parseMessages(['H|\\^&', 'P|1', order, 'R|1|^^^K|4.1|mmol/L', 'L|1']);
      if (!parsed.ok) throw new Error(parsed.reason);
      return labResultsOf(parsed.messages[0]!, context()).results[0]?.qc;
    };
    expect(of('O|1|S-1||^^^K|||||||Q')).toBe(true);
    expect(of('O|1|QC-L2||^^^K')).toBe(true);
    expect(of('O|1|S-1||^^^K|||||||N')).toBe(false);
  });
});

describe('the mapping and the analyzer name of drivers.json', () => {
  it("records the technician's code and unit, keeps the analyzer's, and names the configured analyzer, not H.5", () => {
    const parsed = parseMessages([
      'H|\\^&|||SN-4471^XN',
      'P|1',
      'O|1|S-1',
      'R|1|^^^^WBC^1|105.6|10E3/uL||HH||F',
      'L|1',
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [result] = labResultsOf(
      parsed.messages[0]!,
      context({
        analyzer: 'Sysmex XN-550',
        mapping: analyzerMappingOf({ WBC: '6690-2' }, { '10E3/uL': '10*3/uL' }),
      }),
    ).results;
    expect(result?.draft.data).toMatchObject({
      testCode: '6690-2',
      value: 105.6,
      unit: '10*3/uL',
      analyzer: 'Sysmex XN-550',
    });
    expect(result?.draft.metadata).toMatchObject({ astm: { reported: { value: 105.6, unit: '10E3/uL' } } });
  });

  it('reads comparators and ranges by component', () => {
    const parsed = parseMessages([
      'H|\\^&',
      'P|1',
      'O|1|S-1',
      'R|1|^^^CRP|<0.5^|mg/L|84.0 - 94.0^REFERENCE_RANGE||F',
      'L|1',
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [result] = labResultsOf(parsed.messages[0]!, context()).results;
    expect(result?.draft.data).toMatchObject({
      value: 0.5,
      comparator: '<',
      referenceRange: { low: 84, high: 94 },
    });
  });
});

describe('a result on a specimen the gateway ordered', () => {
  const message = (specimenId: string) => {
    const parsed = parseMessages([
      'H|\\^&|||c311',
      'P|1',
      `O|1|${specimenId}||^^^K`,
      'R|1|^^^K|6.8|mmol/L||HH||F',
      'L|1|N',
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.messages[0]!;
  };
  const order = (orderId: string, testCodes: string[]) => ({
    orderId,
    specimenId: 'SPC-1',
    specimenType: 'serum',
    patientId: 'p-1',
    tests: testCodes.map((testCode) => ({ testCode, testName: testCode })),
    priority: 'stat' as const,
    orderedAt: '2026-12-07T08:00:00.000Z',
    status: 'ordered' as const,
  });
  const orderIdOf = (specimenId: string, orders: ReturnType<typeof order>[]) =>
    labResultsOf(message(specimenId), context({ ordersForSpecimen: () => orders })).results[0]?.draft.data
      .orderId;

  it('carries the order that holds its test', () => {
    expect(orderIdOf('SPC-1', [order('ord-cbc', ['HGB']), order('ord-k', ['K', 'NA'])])).toBe('ord-k');
  });

  it('carries no order when two orders on the tube hold the test, or none does', () => {
    expect(orderIdOf('SPC-1', [order('ord-a', ['K']), order('ord-b', ['K'])])).toBeUndefined();
    expect(orderIdOf('SPC-1', [order('ord-cbc', ['HGB'])])).toBeUndefined();
  });

  it('keeps O.3 as the order id of a specimen the gateway never ordered (an outside LIS)', () => {
    expect(orderIdOf('LIS-77', [])).toBe('LIS-77');
  });
});
