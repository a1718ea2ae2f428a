import type { Violation } from '../campaign.ts';

/** An event of the gateway's log, as much of it as the clock checks read. */
export interface LoggedFact {
  seq: number;
  eventId: string;
  eventType: string;
  recordedAt: string;
  causationId?: string;
  metadata?: Record<string, unknown>;
  data: Record<string, unknown>;
}

/** The hub's view of the gateway's clock (gateway_chains). */
export interface HubClockView {
  offsetMinMs: number | null;
  offsetMaxMs: number | null;
  clockResets: number;
}

/** A jump the campaign made the gateway's clock take, in milliseconds (negative: back). */
export interface ClockJumps {
  /** The furthest the gateway's clock was behind the real one (a positive number of ms). */
  furthestBehindMs: number;
  /** The furthest it was ahead. */
  furthestAheadMs: number;
  /** Jumps backwards. */
  backwardJumps: number;
}

const deviceSeqOf = (fact: LoggedFact | undefined) =>
  typeof fact?.data.deviceSeq === 'number' ? fact.data.deviceSeq : undefined;
const deviceOf = (fact: LoggedFact | undefined) =>
  typeof fact?.data.deviceId === 'string' ? fact.data.deviceId : undefined;

/**
 * The log's own guarantees under a jumping clock (docs/architecture.md#guarantee-2,
 * #alerts-follow-flags-and-measurement-time): seq gapless from 1; every
 * reading whose device time is before `clockFloor` flagged implausible; no
 * alert resolved by a reading with an implausible clock, nor by a reading
 * the device took before the one that opened the episode.
 */
export function logClockViolations(
  log: readonly LoggedFact[],
  clockFloor: string,
  round: number,
): Violation[] {
  const violations: Violation[] = [];
  const add = (guarantee: string, detail: string) => violations.push({ round, guarantee, detail });
  const gaps = log.filter((fact, index) => fact.seq !== index + 1);
  if (gaps.length > 0) add('seq is gapless from 1', `first out of place: seq ${gaps[0]!.seq}`);

  const byId = new Map(log.map((fact) => [fact.eventId, fact]));
  const unflagged = log.filter(
    (fact) =>
      fact.eventType === 'vital_signs_recorded' &&
      typeof fact.data.measuredAt === 'string' &&
      Date.parse(fact.data.measuredAt) < Date.parse(clockFloor) &&
      !fact.metadata?.deviceClockImplausible,
  );
  if (unflagged.length > 0)
    add(
      'a reading from a reset device clock is flagged implausible',
      `${unflagged.length} not, first seq ${unflagged[0]!.seq}`,
    );

  const raisedBy = new Map<string, LoggedFact | undefined>();
  for (const fact of log)
    if (fact.eventType === 'critical_value_detected')
      raisedBy.set(String(fact.data.alertId), fact.causationId ? byId.get(fact.causationId) : undefined);
  for (const resolved of log.filter((fact) => fact.eventType === 'alert_resolved')) {
    if (resolved.data.reason !== 'returned_to_range') continue;
    const reading = resolved.causationId ? byId.get(resolved.causationId) : undefined;
    if (reading?.metadata?.deviceClockImplausible)
      add(
        'a reading with an implausible clock never resolves an alert',
        `seq ${resolved.seq} resolved by seq ${reading.seq}`,
      );
    const opening = raisedBy.get(String(resolved.data.alertId));
    const [openedAt, resolvedAt] = [deviceSeqOf(opening), deviceSeqOf(reading)];
    if (
      deviceOf(opening) === deviceOf(reading) &&
      openedAt !== undefined &&
      resolvedAt !== undefined &&
      resolvedAt <= openedAt
    )
      add(
        'an alert is resolved only by a reading taken after the one that opened it',
        `seq ${resolved.seq}: opened by device seq ${openedAt}, resolved by device seq ${resolvedAt}`,
      );
  }
  return violations;
}

/**
 * Every alert the campaign expects to close: raised by the device's reading
 * `raisedBySeq` and resolved by its reading `resolvedBySeq` (a plausible
 * reading back in range, whatever the gateway's clock said).
 */
export function expectedResolutionViolations(
  log: readonly LoggedFact[],
  deviceId: string,
  expected: readonly { raisedBySeq: number; resolvedBySeq: number }[],
  round: number,
): Violation[] {
  const byId = new Map(log.map((fact) => [fact.eventId, fact]));
  const causeSeq = (fact: LoggedFact) =>
    fact.causationId && deviceOf(byId.get(fact.causationId)) === deviceId
      ? deviceSeqOf(byId.get(fact.causationId))
      : undefined;
  const raised = new Map<number, string>();
  const resolved = new Map<string, number | undefined>();
  for (const fact of log) {
    const seq = causeSeq(fact);
    if (fact.eventType === 'critical_value_detected' && seq !== undefined)
      raised.set(seq, String(fact.data.alertId));
    if (fact.eventType === 'alert_resolved') resolved.set(String(fact.data.alertId), seq);
  }
  return expected.flatMap(({ raisedBySeq, resolvedBySeq }) => {
    const alertId = raised.get(raisedBySeq);
    const by = alertId === undefined ? undefined : resolved.get(alertId);
    if (alertId !== undefined && by === resolvedBySeq) return [];
    return [
      {
        round,
        guarantee: 'a critical reading raises an alert and the next plausible reading in range resolves it',
        detail: `${deviceId} seq ${raisedBySeq}: ${alertId === undefined ? 'no alert' : `resolved by ${by === undefined ? 'nothing' : `seq ${by}`}`}`,
      },
    ];
  });
}

/**
 * The hub's clock-offset figures (hub receive time minus recordedAt) show the
 * gateway's jumps: an offset of about +furthestBehind, one of about
 * −furthestAhead (each within `toleranceMs`, which covers sync delay), and a
 * clock reset counted for each jump back.
 */
export function hubClockViolations(
  view: HubClockView,
  jumps: ClockJumps,
  toleranceMs: number,
  round: number,
): Violation[] {
  const violations: Violation[] = [];
  const add = (detail: string) =>
    violations.push({
      round,
      guarantee: "the hub's clock-offset figures show the gateway's clock faults",
      detail,
    });
  if (jumps.furthestBehindMs > 0 && (view.offsetMaxMs ?? 0) < jumps.furthestBehindMs - toleranceMs)
    add(`largest offset ${view.offsetMaxMs} ms, the gateway was ${jumps.furthestBehindMs} ms behind`);
  if (jumps.furthestAheadMs > 0 && (view.offsetMinMs ?? 0) > -jumps.furthestAheadMs + toleranceMs)
    add(`smallest offset ${view.offsetMinMs} ms, the gateway was ${jumps.furthestAheadMs} ms ahead`);
  if (view.clockResets < jumps.backwardJumps)
    add(`${view.clockResets} clock resets counted for ${jumps.backwardJumps} jumps back`);
  return violations;
}
