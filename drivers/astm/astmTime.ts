/**
 * E1394 date-times are "YYYYMMDD[HH[MM[SS]]]" in the analyzer's local time,
 * with no zone: the port's configured UTC offset places them. Returns an ISO
 * 8601 UTC string, or undefined for anything that is not a real date.
 */
export function astmDateTime(value: string | undefined, utcOffset: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${utcOffset === 'Z' ? 'Z' : utcOffset}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2024-02-30 over to March: refuse dates that do not exist.
  const local = new Date(date.getTime() + offsetMinutes(utcOffset) * 60_000);
  if (local.getUTCDate() !== Number(day) || local.getUTCMonth() + 1 !== Number(month)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  return date.toISOString();
}

export function offsetMinutes(utcOffset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The offset of the gateway's own zone now, "+02:00" in Khartoum: the default for analyzers set to local time. */
export function localUtcOffset(now: Date): string {
  return formatUtcOffset(-now.getTimezoneOffset());
}

/** 120 → "+02:00", -90 → "-01:30". */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An instant as an E1394 date-time, "YYYYMMDDHHMMSS", in the analyzer's local time (`utcOffset`). */
export function formatAstmDateTime(iso: string | Date, utcOffset: string): string {
  const at = new Date(new Date(iso).getTime() + offsetMinutes(utcOffset) * 60_000).toISOString();
  return at.slice(0, 19).replace(/[-T:]/g, '');
}
