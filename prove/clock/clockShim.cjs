'use strict';
/**
 * Loaded into the gateway process under test by the clock campaign
 * (docs/reliability.md#clock-faults) with `node --require`: the wall clock the
 * process sees (Date.now(), new Date()) is the real one plus an offset in
 * milliseconds read from the file PROVE_CLOCK_OFFSET_FILE names, re-read every
 * 50 ms, so the campaign makes the gateway's clock jump without touching the
 * machine's. Monotonic time (performance.now, timers) is left alone, as a
 * real wall-clock jump leaves it.
 */
const { readFileSync } = require('node:fs');

const file = process.env.PROVE_CLOCK_OFFSET_FILE;
const RealDate = Date;
let offsetMs = 0;
const readOffset = () => {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    if (Number.isFinite(value)) offsetMs = value;
  } catch {
    // No file yet: the clock stays where it was.
  }
};
if (file) {
  readOffset();
  setInterval(readOffset, 50).unref();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate;
}
