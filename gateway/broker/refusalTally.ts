/**
 * Refused logins kept as one quarantine row per source, reason code and
 * window instead of one each (docs/mqtt.md#what-a-device-sees): the first
 * refusal of a window is recorded at once, the others are counted, and the
 * count becomes one more row when the window ends. A flood of bad CONNECTs
 * then costs the disk a row or two a minute, not a row per packet. Pure but
 * for its memory; the clock is an argument.
 */
export interface TalliedRefusals {
  code: string;
  source: string;
  /** Refusals after the first one of the window (which was recorded on its own). */
  more: number;
  /** The reason of the last of them. */
  lastReason: string;
  from: number;
  to: number;
}

export interface RefusalTally {
  /** How many refusals came before this one in its window: 0, record it; more, it is tallied. */
  note(code: string, source: string, reason: string, now: number): number;
  /** The windows over by `now` that counted more than their first refusal; forgets every window over. */
  due(now: number): TalliedRefusals[];
  /** Every open window that counted more than its first refusal, and forgets them all (at shutdown). */
  drain(now: number): TalliedRefusals[];
}

/** Windows kept open at most; past that the oldest is closed early (it is reported, not lost). */
const maxWindows = 10_000;

export function createRefusalTally(windowMs: number): RefusalTally {
  const windows = new Map<string, TalliedRefusals>();
  const close = (ended: (window: TalliedRefusals) => boolean, now: number) => {
    const over: TalliedRefusals[] = [];
    for (const [key, window] of windows) {
      if (!ended(window)) continue;
      windows.delete(key);
      if (window.more > 0) over.push({ ...window, to: Math.min(now, window.from + windowMs) });
    }
    return over;
  };
  const early: TalliedRefusals[] = [];

  return {
    note(code, source, reason, now) {
      const key = `${code} ${source}`;
      const open = windows.get(key);
      if (open && now - open.from < windowMs) {
        open.more += 1;
        open.lastReason = reason;
        return open.more;
      }
      if (open) {
        windows.delete(key);
        if (open.more > 0) early.push({ ...open, to: open.from + windowMs });
      }
      if (windows.size >= maxWindows) {
        const [oldestKey, oldest] = windows.entries().next().value ?? [];
        if (oldestKey !== undefined && oldest) {
          windows.delete(oldestKey);
          if (oldest.more > 0) early.push({ ...oldest, to: now });
        }
      }
      windows.set(key, { code, source, more: 0, lastReason: reason, from: now, to: now });
      return 0;
    },
    due(now) {
      return [...early.splice(0), ...close((window) => now - window.from >= windowMs, now)];
    },
    drain(now) {
      return [...early.splice(0), ...close(() => true, now)];
    },
  };
}
