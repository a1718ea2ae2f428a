import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { specimenIdFrom } from '../../gateway/labOrders/specimenId.ts';
import { barsOf, code128Modules } from '../../ui/src/labels/code128.ts';
import { decodeCode128Bars } from '../harness/code128Decoder.ts';

const decodeCode128 = (modules: string) => decodeCode128Bars(barsOf(modules), modules.length);

describe('the Code 128 barcode of a specimen label', () => {
  it('decodes with ZXing to the specimen id, for a thousand ids', () => {
    for (let draw = 0; draw < 1000; draw += 1) {
      const specimenId = specimenIdFrom(randomBytes(6));
      expect(decodeCode128(code128Modules(specimenId))).toBe(specimenId);
    }
  });

  it('has quiet zones of ten modules and a start and a stop pattern (ISO/IEC 15417)', () => {
    const modules = code128Modules('7K3M9QX2TB');
    expect(modules.startsWith('0'.repeat(10))).toBe(true);
    expect(modules.endsWith(`1100011101011${'0'.repeat(10)}`)).toBe(true);
    expect(modules.slice(10, 21)).toMatch(/^110100(00100|10000|11100)$/);
  });

  it('is not read as another id when one bar is lost', () => {
    const modules = code128Modules('7K3M9QX2TB');
    const damaged = modules.replace('111', '100');
    expect(() => decodeCode128(damaged)).toThrow();
  });
});
