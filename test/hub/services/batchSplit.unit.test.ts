import { describe, expect, it } from 'vitest';
import { RecordFailed, settleInOrder } from '../../../hub/services/batchSplit.ts';

/** A batch of letters where `poison` fails in any transaction it is part of; records what was tried. */
function steps(poison: Set<string>, options: { blame?: boolean; aloneFails?: boolean } = {}) {
  const committed: string[] = [];
  const tries: string[][] = [];
  const alone: string[] = [];
  return {
    committed,
    tries,
    alone,
    steps: {
      async whole(records: readonly string[]) {
        tries.push([...records]);
        const bad = records.findIndex((record) => poison.has(record));
        if (bad >= 0)
          throw options.blame === false ? new Error('commit failed') : new RecordFailed(bad, 'poison');
        committed.push(...records);
      },
      async alone(record: string, failure?: unknown) {
        alone.push(failure === undefined ? record : `${record} after ${failure}`);
        if (options.aloneFails && poison.has(record)) return false; // stopped in the middle of its retries
        if (!poison.has(record)) committed.push(record);
        return true; // the poison record is dead-lettered: done
      },
      stopping: () => false,
    },
  };
}

describe('a batch transaction that fails', () => {
  it('commits the whole batch in one try when nothing fails', async () => {
    const s = steps(new Set());
    expect(await settleInOrder(['a', 'b', 'c'], s.steps)).toBe(3);
    expect(s.tries).toEqual([['a', 'b', 'c']]);
    expect(s.alone).toEqual([]);
  });

  it('retries a blamed poison record alone and commits its neighbours, in order, without it', async () => {
    const s = steps(new Set(['c']));
    expect(await settleInOrder(['a', 'b', 'c', 'd', 'e'], s.steps)).toBe(5);
    expect(s.committed).toEqual(['a', 'b', 'd', 'e']);
    expect(s.alone).toEqual(['c after poison']); // its try in the batch counts as its first
  });

  it('splits a failure no record is blamed for in halves, down to the record at fault', async () => {
    const s = steps(new Set(['c']), { blame: false });
    expect(await settleInOrder(['a', 'b', 'c', 'd'], s.steps)).toBe(4);
    expect(s.committed).toEqual(['a', 'b', 'd']);
    expect(s.alone).toEqual(['c', 'd']);
  });

  it('counts only the records before one that was stopped in its retries, so their offsets alone are committed', async () => {
    const s = steps(new Set(['b']), { aloneFails: true });
    expect(await settleInOrder(['a', 'b', 'c'], s.steps)).toBe(1);
    expect(s.committed).toEqual(['a']);
  });

  it('handles a single record exactly as one record at a time: alone, never as a batch', async () => {
    const s = steps(new Set());
    expect(await settleInOrder(['a'], s.steps)).toBe(1);
    expect(s.tries).toEqual([]);
    expect(s.alone).toEqual(['a']);
  });
});
