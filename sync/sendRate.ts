/** What went out in one acknowledged batch. */
export interface SendSample {
  atMs: number;
  events: number;
  bytes: number;
}

export interface SendRate {
  eventsPerSecond: number;
  bytesPerSecond: number;
}

/** The samples still inside the window after adding `sample` (pure). */
export function withSample(
  samples: readonly SendSample[],
  sample: SendSample,
  windowMs: number,
): SendSample[] {
  return [...samples.filter((kept) => kept.atMs > sample.atMs - windowMs), sample];
}

/**
 * Events and bytes per second over the last `windowMs`, or since `sinceMs`
 * (the engine's start) when that is more recent, so a young engine does not
 * report a rate diluted by time it was not running.
 */
export function sendRate(
  samples: readonly SendSample[],
  nowMs: number,
  windowMs: number,
  sinceMs = Number.NEGATIVE_INFINITY,
): SendRate {
  const from = Math.max(nowMs - windowMs, sinceMs);
  const spanSeconds = Math.max(1, nowMs - from) / 1000;
  let events = 0;
  let bytes = 0;
  for (const sample of samples) {
    if (sample.atMs <= from || sample.atMs > nowMs) continue;
    events += sample.events;
    bytes += sample.bytes;
  }
  return { eventsPerSecond: events / spanSeconds, bytesPerSecond: bytes / spanSeconds };
}

/** Seconds until `backlog` events are sent at `eventsPerSecond`; null when nothing is moving. */
export function estimatedDrainSeconds(backlog: number, eventsPerSecond: number): number | null {
  if (backlog === 0) return 0;
  if (!(eventsPerSecond > 0)) return null;
  return Math.ceil(backlog / eventsPerSecond);
}
