import { describe, expect, it } from 'vitest';
import { hostQueriesOf } from '../../../drivers/astm/astmHostQuery.ts';
import { parseMessages } from '../../../drivers/astm/astmRecords.ts';

/** The host queries of one message given as records. */
function queriesOf(...records: string[]) {
  const parsed = parseMessages(['H|\\^&|||analyzer', ...records, 'L|1|N']);
  if (!parsed.ok) throw new Error(parsed.reason);
  return hostQueriesOf(parsed.messages[0]!);
}

describe('an analyzer asking the host for orders (E1394 Q record)', () => {
  it('reads the specimen id from the second component of Q.3, as LIS2-A2 lays it out', () => {
    expect(queriesOf('Q|1|^SPC-0001||^^^ALL||||||||O')).toEqual([
      { kind: 'specimens', specimenIds: ['SPC-0001'] },
    ]);
  });

  it('reads a patient id and specimen id pair by the specimen, never the patient', () => {
    expect(queriesOf('Q|1|PAT-7^SPC-0002||ALL||||||||O')).toEqual([
      { kind: 'specimens', specimenIds: ['SPC-0002'] },
    ]);
  });

  it('reads a barcode an analyzer puts further along (Sysmex "^^ 0001^B") or alone', () => {
    expect(queriesOf('Q|1|^^   SPC-0003^B||||20261207101500')).toEqual([
      { kind: 'specimens', specimenIds: ['SPC-0003'] },
    ]);
    expect(queriesOf('Q|1|SPC-0004')).toEqual([{ kind: 'specimens', specimenIds: ['SPC-0004'] }]);
  });

  it('reads several specimens asked in one Q record as repeats, and several Q records in order', () => {
    expect(queriesOf('Q|1|^SPC-1\\^SPC-2\\^SPC-1', 'Q|2|^SPC-3')).toEqual([
      { kind: 'specimens', specimenIds: ['SPC-1', 'SPC-2'] },
      { kind: 'specimens', specimenIds: ['SPC-3'] },
    ]);
  });

  it('knows "ALL", a range of specimen ids and a cancelled request (Q.13 "A")', () => {
    expect(queriesOf('Q|1|ALL')).toEqual([{ kind: 'all' }]);
    expect(queriesOf('Q|1|^ALL')).toEqual([{ kind: 'all' }]);
    expect(queriesOf('Q|1|^SPC-100|^SPC-199')).toEqual([{ kind: 'range', from: 'SPC-100', to: 'SPC-199' }]);
    expect(queriesOf('Q|1|^SPC-5||||||||||A')).toEqual([{ kind: 'cancel' }]);
  });

  it('calls a Q record that names no specimen unreadable, with the reason', () => {
    expect(queriesOf('Q|1|^ ^||ALL')).toEqual([
      { kind: 'unreadable', reason: 'Q.3 (starting range id) names no specimen' },
    ]);
  });

  it('reads escaped delimiters inside a barcode as the characters they stand for', () => {
    expect(queriesOf('Q|1|^A&S&B')).toEqual([{ kind: 'specimens', specimenIds: ['A^B'] }]);
  });
});
