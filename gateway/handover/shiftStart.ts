import { GatewayError } from '../errors.ts';

/** A shift change as minutes after local midnight. */
export type ShiftChange = number;

/**
 * Parses the shift changes option, "07:00,19:00": local wall-clock times,
 * each a shift's start (docs/ui.md#shift-handover). The error names the option.
 */
export function parseShiftChanges(text: string): ShiftChange[] {
  const changes = text.split(',').map((part) => {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(part.trim());
    if (!match)
      throw new GatewayError('GW_ERR_OPTION_INVALID', [
        'shiftChanges',
        'must be local times "HH:MM" separated by commas',
        JSON.stringify(text),
      ]);
    return Number(match[1]) * 60 + Number(match[2]);
  });
  return [...new Set(changes)].sort((a, b) => a - b);
}

/** Refuses a time zone the platform does not know, naming the option (Intl would throw at the first handover). */
export function checkShiftTimezone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      'shiftTimezone',
      'is not an IANA time zone name such as Africa/Khartoum',
      JSON.stringify(timeZone),
    ]);
  }
}

/**
 * When the shift running at `now` began: the latest shift change at or before
 * `now` on the clinic's wall clock in `timeZone` (yesterday's last one before
 * the first change of the day).
 */
export function shiftStartOf(now: Date, changes: readonly ShiftChange[], timeZone: string): Date {
  const wall = wallClockOf(now, timeZone);
  const minuteOfDay = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const today = changes.filter((change) => change <= minuteOfDay).at(-1);
  const dayStart = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  const startWall =
    today !== undefined ? dayStart + today * 60_000 : dayStart - 86_400_000 + (changes.at(-1) ?? 0) * 60_000;
  // The wall clock's offset from UTC at `now` (a shift is shorter than any change of offset that matters here).
  const offset = wall.getTime() - Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(startWall - offset);
}

/** `now` on the wall clock of `timeZone`, written as if it were UTC (to read its parts with getUTC*). */
function wallClockOf(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')));
}
