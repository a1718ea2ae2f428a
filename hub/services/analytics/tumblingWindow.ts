/** The platform design's analytics window ("Stream Processing": 5-minute tumbling windows). */
export const windowMs = 5 * 60_000; // ms

/** Start of the tumbling window an event time falls in: windows are [start, start + 5 min). Pure. */
export function windowStart(eventTime: Date, size = windowMs): Date {
  return new Date(Math.floor(eventTime.getTime() / size) * size);
}
