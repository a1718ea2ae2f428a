import { BitArray, Code128Reader } from '@zxing/library';

/**
 * What a scanner reads from a Code 128 symbol given as its bars (start and
 * width in modules): ZXing's Code 128 reader, the reference decoder. Throws
 * when the bars are not a valid symbol.
 */
export function decodeCode128Bars(bars: readonly { x: number; width: number }[], modules: number): string {
  const row = new BitArray(modules);
  for (const bar of bars) row.setRange(bar.x, bar.x + bar.width);
  return new Code128Reader().decodeRow(0, row, new Map()).getText();
}
