import type { SyncLane } from '../../kernel/events/eventTypeSpec.ts';

/**
 * How full the data folder's disk is (docs/architecture.md#guarantee-3). `ok`: every
 * input is taken. `low`: the bulk that a device sends again or replaces within
 * seconds (telemetry) is refused, unless it raises or resolves an alert.
 * `critical`: only what protects patients is taken (docs/operations.md, "When
 * the disk fills").
 */
export type StorageState = 'ok' | 'low' | 'critical';

export interface StorageThresholds {
  /** Below this many free bytes the state is at least `low`. */
  lowWaterBytes: number;
  /** Below this many free bytes the state is `critical`. */
  criticalBytes: number;
  /** A state is left only once free space is this much above its threshold, so it does not flap. */
  recoverMarginBytes: number;
}

const rank: Record<StorageState, number> = { ok: 0, low: 1, critical: 2 };

/** The state for `freeBytes`, from the current one: worse at once, better only past the margin. */
export function nextStorageState(
  current: StorageState,
  freeBytes: number,
  thresholds: StorageThresholds,
): StorageState {
  const { lowWaterBytes, criticalBytes, recoverMarginBytes } = thresholds;
  const measured: StorageState =
    freeBytes < criticalBytes ? 'critical' : freeBytes < lowWaterBytes ? 'low' : 'ok';
  if (rank[measured] >= rank[current]) return measured;
  const recovered: StorageState =
    freeBytes < criticalBytes + recoverMarginBytes
      ? 'critical'
      : freeBytes < lowWaterBytes + recoverMarginBytes
        ? 'low'
        : 'ok';
  return rank[recovered] < rank[current] ? recovered : current;
}

/** The state as a number for the gauge nilecare_storage_state. */
export const storageStateValue = (state: StorageState): number => rank[state];

/** What one draft of an input is, for the admission rule. */
export interface AdmissionCandidate {
  lane: SyncLane;
  /** A person acted: the draft names its user (a clinician action through the API). */
  byPerson: boolean;
  /** Whether recording it would raise or resolve an alert (asked only when it matters). */
  raisesAlert: () => boolean;
}

/**
 * Whether an input may be recorded in this state. The sync lanes rank events
 * by how much the hub needs them first; the disk keeps its last room in the
 * same order. Alerts, acknowledgements and escalations (the alert lane) are
 * always taken, and so is whatever a person did. Telemetry (readings, device
 * sessions) is refused from `low`, except a reading that raises or resolves an
 * alert: refusing that one could hide a patient in trouble. Machine-made
 * clinical and audit events (an analyser's result, a report) are refused only
 * at `critical`: the sender keeps them and sends them again.
 */
export function admits(state: StorageState, candidate: AdmissionCandidate): boolean {
  if (state === 'ok' || candidate.lane === 'alert' || candidate.byPerson) return true;
  if (candidate.lane === 'telemetry') return candidate.raisesAlert();
  return state === 'low';
}

/** The lanes refused in a state (shown in GET /health as `storage.refusing`). */
export function refusingLanes(state: StorageState): SyncLane[] {
  if (state === 'ok') return [];
  return state === 'low' ? ['telemetry'] : ['telemetry', 'clinical', 'audit'];
}
