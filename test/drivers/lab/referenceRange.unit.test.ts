import { describe, expect, it } from 'vitest';
import { referenceRangeOf } from '../../../drivers/lab/referenceRange.ts';

describe('a reference range', () => {
  it.each([
    [['3.5-5.1'], { low: 3.5, high: 5.1 }],
    [['3.5 - 5.1'], { low: 3.5, high: 5.1 }],
    [['84.0 - 94.0', 'REFERENCE_RANGE'], { low: 84, high: 94 }],
    [['3.5 to 5.1'], { low: 3.5, high: 5.1 }],
    [['70_105'], { low: 70, high: 105 }],
    [['(3.5-5.1)'], { low: 3.5, high: 5.1 }],
    [['-1.0 - 2.0'], { low: -1, high: 2 }],
    [['3.5', '5.1'], { low: 3.5, high: 5.1 }],
    [['222 to 1439', 'normal'], { low: 222, high: 1439 }],
    [['<5'], { high: 5, text: '<5' }],
    [['> 10'], { low: 10, text: '> 10' }],
    [['negative'], { text: 'negative' }],
    [['age 1-5: 10.5-14'], { text: 'age 1-5: 10.5-14' }],
    [['5.1-3.5'], { text: '5.1-3.5' }],
  ] as const)('%j is %j', (components, expected) => {
    expect(referenceRangeOf(components)).toEqual(expected);
  });

  it('is absent when nothing is written', () => {
    expect(referenceRangeOf(['', ''])).toBeUndefined();
  });
});
