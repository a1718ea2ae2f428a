/// <reference path="./code128Encoder.d.ts" />
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128/index.js';

/** Quiet zone each side, in modules (ISO/IEC 15417: at least ten). */
const QUIET_MODULES = 10;

/**
 * The modules of a Code 128 symbol for `text` ('1' a bar, '0' a space), from
 * JsBarcode's encoder (well kept, offline, bundled by esbuild), with the quiet
 * zones. A specimen id is digits and capitals: always encodable.
 */
export function code128Modules(text: string): string {
  const encoder = new CODE128(text, {});
  if (!encoder.valid()) throw new RangeError('not encodable in Code 128');
  const quiet = '0'.repeat(QUIET_MODULES);
  return `${quiet}${encoder.encode().data}${quiet}`;
}

/** The bars as runs: where each starts and how many modules wide it is. */
export function barsOf(modules: string): { x: number; width: number }[] {
  const bars: { x: number; width: number }[] = [];
  for (const run of modules.matchAll(/1+/g)) bars.push({ x: run.index, width: run[0].length });
  return bars;
}
