/** JsBarcode's Code 128 encoder alone (its automatic A/B/C switching), without its renderers and other symbologies. */
declare module 'jsbarcode/bin/barcodes/CODE128/index.js' {
  export class CODE128 {
    constructor(data: string, options: Record<string, unknown>);
    valid(): boolean;
    /** `data`: the symbol's modules, '1' a bar and '0' a space, start to stop pattern. */
    encode(): { data: string; text: string };
  }
}
