import type { Logger } from 'pino';
import type { Ward } from '../config/wards.ts';
import { GatewayError, isGatewayError } from '../errors.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { Actor } from '../http/actor.ts';
import { recordOrFail } from '../http/recordOrFail.ts';
import { BED_BOARD_DOC_ID, type BedBoardDoc } from '../projections/beds.ts';
import type { PatientDoc } from '../projections/patients.ts';
import type { ProjectionStore } from '../projections/projectionStore.ts';
import type { ClinicalRecorder } from '../recording/clinicalRecorder.ts';
import {
  type AdmissionDecision,
  type AdmissionSagaPolicy,
  type AdmissionSagaState,
  decideAdmissionStep,
  type SagaStep,
} from './admissionSaga.ts';
import { chooseBed } from './bedAvailability.ts';
import { CareTeamNotificationFailed, type CareTeamNotifier } from './careTeamNotifier.ts';
import { eventDraft, type FacilityContext } from '../../kernel/events/eventDraft.ts';

export interface AdmissionRequest {
  patientId: string;
  ward: string;
  bed?: string;
  reason?: string;
  encounterClass: string;
  attendingPhysician?: string;
  actor?: Actor;
}

export interface AdmissionSagaRunnerDeps {
  recorder: ClinicalRecorder;
  projections: ProjectionStore;
  facility: FacilityContext;
  wards: readonly Ward[];
  notifier: CareTeamNotifier;
  policy: AdmissionSagaPolicy;
  clock: () => Date;
  newId: IdSource;
  logger?: Logger;
}

const SAGAS = 'admissionSagas';

/**
 * The shell around the pure saga: starts an admission, then asks
 * `decideAdmissionStep` what to do, does it, and records the outcome through
 * the recorder (durable before the next step), until the saga completes or
 * fails. `resumeUnfinished` does the same, at gateway start, for every saga
 * the log shows unfinished. One saga is driven by one loop at a time.
 */
export function createAdmissionSagaRunner(deps: AdmissionSagaRunnerDeps) {
  const { recorder, projections, facility, wards, notifier, policy, clock, newId, logger } = deps;
  const driving = new Map<string, Promise<AdmissionSagaState>>();
  const stopping = new AbortController();

  const sagaOf = (sagaId: string) => projections.get<AdmissionSagaState>(SAGAS, sagaId);
  const board = () => projections.get<BedBoardDoc>('beds', BED_BOARD_DOC_ID);
  const patientOf = (patientId: string) => projections.get<PatientDoc>('patients', patientId);

  function draft(
    eventType: string,
    data: Record<string, unknown>,
    saga: { sagaId: string; patientId: string },
    actor: Actor | undefined,
  ): EventDraft {
    return eventDraft(
      {
        eventId: newId(),
        eventType,
        timestamp: clock().toISOString(),
        facility,
        patientId: saga.patientId,
        ...actor,
        // The saga's id ties the encounter events it causes to it (projections/admissionSagas.ts).
        correlationId: saga.sagaId,
        source: gatewaySources.clinicalApi,
      },
      data,
    );
  }

  async function record(
    drafts: EventDraft[],
    origin: string,
    precondition?: () => void,
  ): Promise<ClinicalEvent[]> {
    const [first, ...rest] = drafts;
    return recordOrFail(recorder, {
      draft: first,
      andThen: rest,
      channel: 'internal',
      origin: `admission saga: ${origin}`,
      ...(precondition ? { precondition } : {}),
    });
  }

  /** No other admission of the patient may be open: admitted, or holding a bed through another saga. */
  function refuseBusyPatient(patientId: string): void {
    const patient = patientOf(patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    if (patient.status === 'admitted')
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [
        patientId,
        `is already admitted (encounter ${patient.encounterId})`,
      ]);
    const held = board()?.holds.find((hold) => hold.patientId === patientId && hold.state === 'reserved');
    if (held)
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [
        patientId,
        `has an admission in progress (saga ${held.sagaId})`,
      ]);
  }

  /**
   * At the reservation, inside its transaction: two admissions of one patient
   * started at the same moment must not both hold a bed.
   */
  function refuseSecondAdmission(patientId: string, sagaId: string): void {
    if (patientOf(patientId)?.status === 'admitted')
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [patientId, 'was admitted meanwhile']);
    const other = board()?.holds.find((hold) => hold.patientId === patientId && hold.sagaId !== sagaId);
    if (other)
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [
        patientId,
        `holds bed ${other.bed} of ${other.ward}`,
      ]);
  }

  /**
   * Starts an admission and drives it to its end. Refused before anything is
   * recorded when the patient is busy or the bed is not free; otherwise the
   * saga's outcome, completed or failed (and compensated).
   */
  async function admit(request: AdmissionRequest): Promise<AdmissionSagaState> {
    const { patientId, actor } = request;
    refuseBusyPatient(patientId);
    const bed = chooseBed(wards, board(), request);
    const sagaId = newId();
    const at = clock().toISOString();
    const started = draft(
      'admission_saga_started',
      {
        sagaId,
        ward: request.ward,
        bed,
        ...(request.reason ? { reason: request.reason } : {}),
        encounterClass: request.encounterClass,
        ...(request.attendingPhysician ? { attendingPhysician: request.attendingPhysician } : {}),
        startedAt: at,
      },
      { sagaId, patientId },
      actor,
    );
    await record([started], 'start', () => {
      refuseBusyPatient(patientId);
      chooseBed(wards, board(), { ward: request.ward, bed });
    });
    return drive(sagaId, actor);
  }

  function drive(sagaId: string, actor?: Actor): Promise<AdmissionSagaState> {
    const running = driving.get(sagaId);
    if (running) return running;
    const loop = driveLoop(sagaId, actor).finally(() => driving.delete(sagaId));
    driving.set(sagaId, loop);
    return loop;
  }

  async function driveLoop(sagaId: string, actor: Actor | undefined): Promise<AdmissionSagaState> {
    for (;;) {
      const saga = sagaOf(sagaId);
      if (!saga) throw new GatewayError('GW_ERR_ADMISSION_UNKNOWN', [sagaId]);
      if (stopping.signal.aborted) return saga;
      const decision = decideAdmissionStep(saga, clock(), policy);
      if (decision.kind === 'none') return saga;
      try {
        await carryOut(saga, decision, actor);
      } catch (error) {
        // Stopping mid-step: the log keeps the saga where it was; the next start resumes it.
        if (stopping.signal.aborted) return sagaOf(sagaId) ?? saga;
        if (!isForwardStep(decision)) throw error;
        const reason = failureReason(error);
        const unexpected = reason === unexpectedReason ? { err: error } : {};
        logger?.warn(
          { sagaId, step: decision.kind, reason, ...unexpected },
          'admission step failed; compensating',
        );
        await record(
          [
            draft(
              'admission_saga_step_failed',
              {
                sagaId,
                failedStep: decision.kind,
                cause: 'step_failed',
                reason,
                failedAt: clock().toISOString(),
              },
              saga,
              actor,
            ),
          ],
          'step failed',
        );
      }
    }
  }

  async function carryOut(saga: AdmissionSagaState, decision: AdmissionDecision, actor: Actor | undefined) {
    const at = clock().toISOString();
    const { sagaId } = saga;
    const step = (eventType: string, data: Record<string, unknown>) => draft(eventType, data, saga, actor);
    switch (decision.kind) {
      case 'reserve_bed': {
        const holder = { sagaId };
        const bed = chooseBed(wards, board(), decision, holder);
        await record(
          [
            step('bed_reserved', {
              sagaId,
              ward: decision.ward,
              bed,
              reservedAt: at,
              expiresAt: decision.expiresAt,
            }),
          ],
          'reserve bed',
          () => {
            refuseSecondAdmission(saga.patientId, sagaId);
            chooseBed(wards, board(), { ward: decision.ward, bed }, holder);
          },
        );
        return;
      }
      case 'create_encounter': {
        const { ward, bed, encounterClass, reason } = decision;
        const data = { encounterId: newId(), encounterClass, ward, bed, ...(reason ? { reason } : {}) };
        await record([step('encounter_created', { ...data, startedAt: at })], 'create encounter', () => {
          if (!patientOf(saga.patientId)) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [saga.patientId]);
        });
        return;
      }
      case 'notify_care_team': {
        const { encounterId, ward, bed } = decision;
        const notice = {
          kind: 'admission' as const,
          sagaId,
          patientId: saga.patientId,
          encounterId,
          ward,
          bed,
        };
        await notifier.notify({ ...notice, facilityId: facility.facilityId, at }, stopping.signal);
        await record(
          [
            step('care_team_notified', {
              sagaId,
              encounterId,
              recipientIds: [careTeamOf(ward)],
              channels: [...notifier.channels],
              notifiedAt: clock().toISOString(),
            }),
          ],
          'notify care team',
        );
        return;
      }
      case 'admit': {
        const { encounterId, ward, bed, attendingPhysician } = decision;
        await record(
          [
            step('patient_admitted', {
              encounterId,
              ward,
              bed,
              ...(saga.reason ? { reason: saga.reason } : {}),
              ...(attendingPhysician ? { attendingPhysician } : {}),
              admittedAt: at,
            }),
            step('admission_saga_completed', { sagaId, encounterId, ward, bed, completedAt: at }),
          ],
          'admit',
        );
        return;
      }
      case 'record_failure': {
        const { step: failedStep, cause, reason } = decision;
        await record(
          [step('admission_saga_step_failed', { sagaId, failedStep, cause, reason, failedAt: at })],
          'step failed',
        );
        return;
      }
      case 'close_encounter':
        await record(
          [
            step('encounter_closed', {
              encounterId: decision.encounterId,
              reason: 'admission_cancelled',
              closedAt: at,
            }),
          ],
          'close encounter',
        );
        return;
      case 'release_bed': {
        const { ward, bed, reason } = decision;
        await record([step('bed_released', { sagaId, ward, bed, reason, releasedAt: at })], 'release bed');
        return;
      }
      case 'fail': {
        const { step: failedStep, reason, compensations } = decision;
        await record(
          [step('admission_saga_failed', { sagaId, failedStep, reason, compensations, failedAt: at })],
          'fail',
        );
        return;
      }
      case 'none':
        return;
      default:
        return assertNever(decision);
    }
  }

  /** Drives every saga the log shows unfinished (gateway start); resolves when all have ended. */
  async function resumeUnfinished(): Promise<AdmissionSagaState[]> {
    const unfinished = projections
      .all<AdmissionSagaState>(SAGAS)
      .filter((saga) => saga.status === 'running' || saga.status === 'compensating');
    if (unfinished.length > 0)
      logger?.info({ sagas: unfinished.map((saga) => saga.sagaId) }, 'resuming unfinished admission sagas');
    const outcomes = await Promise.allSettled(unfinished.map((saga) => drive(saga.sagaId)));
    return outcomes.flatMap((outcome, index) => {
      if (outcome.status === 'fulfilled') return [outcome.value];
      logger?.error(
        { sagaId: unfinished[index]!.sagaId, err: outcome.reason },
        'admission saga could not be resumed; it is retried at the next start',
      );
      return [];
    });
  }

  return {
    /** The configured wards and beds, in board order. */
    wards,
    admit,
    resumeUnfinished,
    saga: sagaOf,
    /** Stops driving: steps under way are abandoned unrecorded and resume at the next start. */
    async close(): Promise<void> {
      stopping.abort();
      await Promise.allSettled([...driving.values()]);
    },
  };
}

export type AdmissionSagaRunner = ReturnType<typeof createAdmissionSagaRunner>;

function isForwardStep(decision: AdmissionDecision): decision is AdmissionDecision & { kind: SagaStep } {
  return (
    decision.kind === 'reserve_bed' ||
    decision.kind === 'create_encounter' ||
    decision.kind === 'notify_care_team'
  );
}

/** Why a step failed, in words fit for the log and the event: codes and ids, no PHI. */
function failureReason(error: unknown): string {
  if (error instanceof CareTeamNotificationFailed) return error.message;
  if (isGatewayError(error)) return `${error.code}: ${error.message}`.slice(0, 500);
  return unexpectedReason;
}

const unexpectedReason = 'unexpected error (see the gateway log)';

/** The ward's care team as a recipient id (the catalogue's ids are at most 64 characters). */
function careTeamOf(ward: string): string {
  return `care-team:${ward}`.slice(0, 64);
}

function assertNever(value: never): never {
  throw new Error(`unhandled admission decision: ${JSON.stringify(value)}`);
}
