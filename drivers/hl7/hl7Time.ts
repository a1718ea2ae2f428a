/**
 * HL7 v2 DTM/TS values (HL7 v2.5 section 2.A.22):
 * YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]. A value without an offset is
 * in the sender's local time, which the listener is told
 * (`assumedUtcOffsetMinutes`), never guessed from the gateway's clock.
 */
const dtm = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/** ISO 8601 UTC for an HL7 time, or undefined when it is not one (or not a real date). */
export function hl7TimeToIso(value: string, assumedUtcOffsetMinutes: number): string | undefined {
  const match = dtm.exec(value.trim());
  if (!match) return undefined;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction, zone] = match;
  const offset = zone
    ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
    : assumedUtcOffsetMinutes;
  const millis = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
  );
  const check = new Date(local);
  // Date.UTC rolls 2024-02-31 over to March: refuse what is not a real date or time.
  if (
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    check.getUTCHours() !== Number(hour) ||
    check.getUTCMinutes() !== Number(minute) ||
    Number(second) > 59 ||
    Math.abs(offset) > 14 * 60
  )
    return undefined;
  return new Date(local - offset * 60_000).toISOString();
}

/** Now as an HL7 DTM in UTC (for the ACK's MSH-7). */
export function isoToHl7Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}
