import { GatewayError } from '../errors.ts';
import { specOf } from '../../kernel/events/catalogue.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import type { EventTypeSpec } from '../../kernel/events/eventTypeSpec.ts';
import type { GatewayMetrics } from '../metrics/gatewayMetrics.ts';
import type { Reactor } from '../recording/clinicalRecorder.ts';
import type { InputChannel } from '../recording/quarantine.ts';
import { admits } from './storageAdmission.ts';
import type { StorageGuard } from './storageGuard.ts';

/** Refuses an input the disk has no room for (throws GW_ERR_DISK_LOW); returns when it may be recorded. */
export type AdmissionCheck = (
  drafts: readonly { draft: EventDraft; spec: EventTypeSpec }[],
  channel: InputChannel,
) => void;

export interface StorageAdmissionDeps {
  guard: Pick<StorageGuard, 'state' | 'snapshot'>;
  /** The same reactors the recorder runs: asked whether a reading would raise or resolve an alert. */
  reactors: readonly Reactor[];
  metrics: GatewayMetrics;
}

/**
 * The write path's question to the storage guard, asked before an input
 * joins a transaction. While the disk is fine it costs one comparison. Under
 * pressure a reading is tried against the critical-value reactors as it would
 * be recorded; they only read the alert episodes, so asking changes nothing.
 * The whole input is refused if any of its drafts is (all or none, as it is
 * recorded). Refusals are counted, not logged one by one: the guard logs each
 * change of state once.
 */
export function storageAdmissionCheck(deps: StorageAdmissionDeps): AdmissionCheck {
  const { guard, reactors, metrics } = deps;

  const raisesAlert = (draft: EventDraft) => () => {
    // Only the event's type, subject and values decide; seq and hash are not known before the append.
    const provisional = { ...draft, gatewayId: '', seq: 0, recordedAt: draft.timestamp, hash: '' };
    return reactors.some((reactor) =>
      reactor(provisional as ClinicalEvent).some((follow) => specOf(follow.eventType)?.lane === 'alert'),
    );
  };

  return (drafts, channel) => {
    const state = guard.state;
    if (state === 'ok') return;
    for (const { draft, spec } of drafts) {
      const candidate = {
        lane: spec.lane,
        byPerson: draft.userId !== undefined,
        raisesAlert: raisesAlert(draft),
      };
      if (admits(state, candidate)) continue;
      metrics.storageRefusedInputs.inc({ lane: spec.lane, channel });
      metrics.eventsFailed.inc({ channel, reason: 'GW_ERR_DISK_LOW' });
      const { freeBytes } = guard.snapshot();
      throw new GatewayError('GW_ERR_DISK_LOW', [state, freeBytes, `${spec.lane} (${spec.eventType})`], {
        state,
        lane: spec.lane,
        eventType: spec.eventType,
        freeBytes,
      });
    }
  };
}
