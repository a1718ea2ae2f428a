/**
 * The guarantees the disk campaign checks (docs/reliability.md#disk-campaign,
 * docs/operations.md#when-the-disk-fills, docs/architecture.md#guarantee-3),
 * as pure functions over what the campaign saw. Each returns the problems it
 * found, one readable line each; an empty list means the guarantee held.
 */

/** What the campaign tried while the disk was at one storage state, and what the gateway took. */
export interface PressureAttempts {
  /** The storage state GET /health showed when the attempts were made. */
  state: string;
  /** A critical reading (one that raises an alert) from a monitor: PUBACKed or not. */
  criticalReadingTaken: boolean;
  /** Clinician actions over HTTP (acknowledgement, registration, admission) tried and answered with a 2xx. */
  clinicianActionsTried: number;
  clinicianActionsTaken: number;
  /** Telemetry readings that raise no alert published, and how many were PUBACKed. */
  telemetrySent: number;
  telemetryPubacked: number;
}

/** One fill and drain cycle as the campaign saw it. */
export interface FillCycle {
  /** Whether the gateway's own telemetry brought the disk from `ok` to `low` (filled by the gateway itself). */
  filledByGateway: boolean;
  low: PressureAttempts;
  critical: PressureAttempts;
  /**
   * At the brim (no free block left, below the last reserve): what was taken
   * is checked with everything acknowledged; the gateway must still answer.
   */
  brim: { gatewayAnswered: boolean };
  /** The storage state once the filler was deleted, and whether every reading held back was then PUBACKed. */
  stateAfterDrain: string;
  backlogDrained: boolean;
}

/** Refused inputs the gateway counted (nilecare_storage_refused_inputs_total) during the cycle. */
export function fillCycleProblems(cycle: FillCycle, refusedCounted: number): string[] {
  const problems: string[] = [];
  if (!cycle.filledByGateway) problems.push('the gateway did not go from ok to low by its own telemetry');
  for (const [expected, seen] of [
    ['low', cycle.low],
    ['critical', cycle.critical],
  ] as const) {
    if (seen.state !== expected) {
      problems.push(`the disk was ${seen.state} where ${expected} was made`);
      continue;
    }
    if (!seen.criticalReadingTaken) problems.push(`a critical reading was not PUBACKed while ${expected}`);
    if (seen.clinicianActionsTaken < seen.clinicianActionsTried || seen.clinicianActionsTried === 0)
      problems.push(
        `${seen.clinicianActionsTaken} of ${seen.clinicianActionsTried} clinician actions taken while ${expected}`,
      );
    if (seen.telemetryPubacked > 0)
      problems.push(`${seen.telemetryPubacked} readings that raise no alert PUBACKed while ${expected}`);
  }
  if (!cycle.brim.gatewayAnswered) problems.push('the gateway stopped answering GET /health on a full disk');
  if (refusedCounted === 0) problems.push('no refusal counted in nilecare_storage_refused_inputs_total');
  if (cycle.stateAfterDrain !== 'ok')
    problems.push(`the disk stayed ${cycle.stateAfterDrain} after the filler went`);
  if (!cycle.backlogDrained)
    problems.push('readings held back while the disk was full were not all taken after');
  return problems;
}

/** One injected I/O error in the middle of commits, as the campaign saw it. */
export interface InjectedFault {
  fault: string;
  /** Calls the shim failed: zero means nothing was injected and the round proved nothing. */
  failedCalls: number;
  /** Whether the gateway process exited during or after the fault (it is restarted then). */
  exited: boolean;
  /** Whether it (or its restart) answered GET /health and took readings again after the fault. */
  acceptingAfter: boolean;
  /** The code of each clinician action refused during the fault ('no answer' when the connection broke). */
  clinicianRefusals: readonly string[];
}

export function injectedFaultProblems(round: InjectedFault): string[] {
  const problems: string[] = [];
  if (round.failedCalls === 0) problems.push(`${round.fault}: the shim failed no write or sync`);
  if (!round.acceptingAfter)
    problems.push(`${round.fault}: the gateway took no readings after the fault cleared`);
  // The nurse must be told that her action was not recorded because the disk failed it.
  for (const code of round.clinicianRefusals)
    if (code !== 'GW_ERR_DISK_WRITE_FAILED' && !(round.exited && code === 'no answer'))
      problems.push(`${round.fault}: a clinician action the disk failed was answered ${code}`);
  return problems;
}

/** `PRAGMA integrity_check` answers the single row "ok" on a sound database. */
export function integrityProblems(rows: readonly string[]): string[] {
  return rows.length === 1 && rows[0] === 'ok'
    ? []
    : [`PRAGMA integrity_check: ${rows.slice(0, 5).join('; ') || 'no answer'}`];
}
