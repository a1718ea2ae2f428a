/**
 * The admission saga (the platform design, "Event Flow Patterns" > "Saga Pattern"): reserve a
 * bed, create the encounter, notify the care team; when a step fails, the
 * steps before it are compensated in reverse order. Pure: the saga's state is
 * a fold of its own events (`evolveAdmissionSaga`), and what to do next is a
 * function of that state and the time (`decideAdmissionStep`). The runner
 * (admissionSagaRunner.ts) carries decisions out and records each outcome as
 * the next event, so a gateway restarted mid-saga picks up where the log says.
 */

export type SagaStep = 'reserve_bed' | 'create_encounter' | 'notify_care_team';
export type Compensation = 'release_bed' | 'close_encounter';
export type FailureCause = 'step_failed' | 'reservation_expired';

/** The events of one saga, with the fields the saga reads (the catalogue schemas guarantee them). */
export type AdmissionSagaEvent = { timestamp: string; patientId?: string; seq?: number } & (
  | {
      eventType: 'admission_saga_started';
      data: {
        sagaId: string;
        ward: string;
        bed?: string;
        reason?: string;
        encounterClass?: string;
        attendingPhysician?: string;
        startedAt: string;
      };
    }
  | {
      eventType: 'bed_reserved';
      data: { sagaId: string; ward: string; bed: string; reservedAt: string; expiresAt?: string };
    }
  | { eventType: 'encounter_created'; data: { encounterId: string; startedAt: string } }
  | { eventType: 'care_team_notified'; data: { sagaId: string; encounterId: string; notifiedAt: string } }
  | { eventType: 'patient_admitted'; data: { encounterId: string; admittedAt: string } }
  | {
      eventType: 'admission_saga_completed';
      data: { sagaId: string; encounterId: string; completedAt: string };
    }
  | {
      eventType: 'admission_saga_step_failed';
      data: { sagaId: string; failedStep: SagaStep; cause: FailureCause; reason: string; failedAt: string };
    }
  | { eventType: 'encounter_closed'; data: { encounterId: string; reason: string; closedAt: string } }
  | { eventType: 'bed_released'; data: { sagaId: string; ward: string; bed: string; releasedAt: string } }
  | {
      eventType: 'admission_saga_failed';
      data: { sagaId: string; failedStep: SagaStep; reason: string; compensations: Compensation[] };
    }
);

export const admissionSagaEventTypes: ReadonlySet<string> = new Set<AdmissionSagaEvent['eventType']>([
  'admission_saga_started',
  'bed_reserved',
  'encounter_created',
  'care_team_notified',
  'patient_admitted',
  'admission_saga_completed',
  'admission_saga_step_failed',
  'encounter_closed',
  'bed_released',
  'admission_saga_failed',
]);

export interface AdmissionSagaState {
  sagaId: string;
  patientId: string;
  /** running: moving forward; compensating: a step failed and earlier steps are being undone. */
  status: 'running' | 'compensating' | 'completed' | 'failed';
  ward: string;
  /** The bed asked for (or chosen from the ward's free beds when the saga started). */
  bed?: string;
  reason?: string;
  encounterClass: string;
  attendingPhysician?: string;
  startedAt: string;
  reservation?: { ward: string; bed: string; expiresAt?: string };
  bedReleased: boolean;
  encounterId?: string;
  encounterClosed: boolean;
  notified: boolean;
  admitted: boolean;
  failure?: { step: SagaStep; cause: FailureCause; reason: string };
  /** Compensations done, in the order they were done. */
  compensations: Compensation[];
  /** Every event of the saga in order, for `GET /api/v1/admissions/:sagaId`. */
  history: { eventType: string; at: string; seq?: number }[];
}

/** The saga after one more of its events; undefined until it has started. */
export function evolveAdmissionSaga(
  state: AdmissionSagaState | undefined,
  event: AdmissionSagaEvent,
): AdmissionSagaState | undefined {
  if (event.eventType === 'admission_saga_started') {
    if (state) return state;
    const { sagaId, ward, bed, reason, encounterClass, attendingPhysician, startedAt } = event.data;
    return {
      sagaId,
      patientId: event.patientId ?? '',
      status: 'running',
      ward,
      ...(bed ? { bed } : {}),
      ...(reason ? { reason } : {}),
      encounterClass: encounterClass ?? 'inpatient',
      ...(attendingPhysician ? { attendingPhysician } : {}),
      startedAt,
      bedReleased: false,
      encounterClosed: false,
      notified: false,
      admitted: false,
      compensations: [],
      history: [historyEntry(event)],
    };
  }
  if (!state) return state;
  const next = { ...state, history: [...state.history, historyEntry(event)] };
  switch (event.eventType) {
    case 'bed_reserved': {
      const { ward, bed, expiresAt } = event.data;
      return { ...next, reservation: { ward, bed, ...(expiresAt ? { expiresAt } : {}) } };
    }
    case 'encounter_created':
      return { ...next, encounterId: event.data.encounterId };
    case 'care_team_notified':
      return { ...next, notified: true };
    case 'patient_admitted':
      return { ...next, admitted: true };
    case 'admission_saga_completed':
      return { ...next, status: 'completed' };
    case 'admission_saga_step_failed': {
      const { failedStep: step, cause, reason } = event.data;
      return { ...next, status: 'compensating', failure: { step, cause, reason } };
    }
    case 'encounter_closed':
      return { ...next, encounterClosed: true, compensations: [...next.compensations, 'close_encounter'] };
    case 'bed_released':
      return { ...next, bedReleased: true, compensations: [...next.compensations, 'release_bed'] };
    case 'admission_saga_failed':
      return { ...next, status: 'failed' };
    default:
      return assertNever(event);
  }
}

/** Folds a saga's events from the start. */
export function admissionSagaOf(events: readonly AdmissionSagaEvent[]): AdmissionSagaState | undefined {
  return events.reduce<AdmissionSagaState | undefined>(evolveAdmissionSaga, undefined);
}

export interface AdmissionSagaPolicy {
  /** How long a reservation holds a bed, in seconds. */
  reservationSeconds: number;
}

/** What the runner does next. Each decision, carried out, appends at least one event of the saga. */
export type AdmissionDecision =
  | { kind: 'reserve_bed'; ward: string; bed?: string; expiresAt: string }
  | { kind: 'create_encounter'; ward: string; bed: string; encounterClass: string; reason?: string }
  | { kind: 'notify_care_team'; encounterId: string; ward: string; bed: string }
  /** patient_admitted and admission_saga_completed, in one transaction. */
  | { kind: 'admit'; encounterId: string; ward: string; bed: string; attendingPhysician?: string }
  | { kind: 'record_failure'; step: SagaStep; cause: FailureCause; reason: string }
  | { kind: 'close_encounter'; encounterId: string }
  | { kind: 'release_bed'; ward: string; bed: string; reason: 'saga_compensation' | 'reservation_expired' }
  | { kind: 'fail'; step: SagaStep; reason: string; compensations: Compensation[] }
  | { kind: 'none' };

/**
 * The next step of a saga at `now`. Forward while every step succeeds; once a
 * step failed, compensate what was done in reverse order (close the
 * encounter, then release the bed) and then fail. A reservation that expired
 * before the care team was told (the gateway was down too long) is a failure
 * too: a patient is not admitted, unannounced, hours after the request.
 */
export function decideAdmissionStep(
  state: AdmissionSagaState,
  now: Date,
  policy: AdmissionSagaPolicy,
): AdmissionDecision {
  switch (state.status) {
    case 'completed':
    case 'failed':
      return { kind: 'none' };
    case 'compensating':
      return nextCompensation(state);
    case 'running':
      return nextForwardStep(state, now, policy);
    default:
      return assertNever(state.status);
  }
}

/** The same, straight from the saga's events so far: `(events, now) -> next decision`. */
export function nextAdmissionStep(
  events: readonly AdmissionSagaEvent[],
  now: Date,
  policy: AdmissionSagaPolicy,
): AdmissionDecision {
  const state = admissionSagaOf(events);
  return state ? decideAdmissionStep(state, now, policy) : { kind: 'none' };
}

function nextForwardStep(
  state: AdmissionSagaState,
  now: Date,
  policy: AdmissionSagaPolicy,
): AdmissionDecision {
  const { reservation } = state;
  if (!reservation) {
    const expiresAt = new Date(now.getTime() + policy.reservationSeconds * 1000).toISOString();
    return { kind: 'reserve_bed', ward: state.ward, ...(state.bed ? { bed: state.bed } : {}), expiresAt };
  }
  const { ward, bed, expiresAt } = reservation;
  if (!state.notified && expiresAt !== undefined && now.getTime() > Date.parse(expiresAt))
    return {
      kind: 'record_failure',
      step: state.encounterId ? 'notify_care_team' : 'create_encounter',
      cause: 'reservation_expired',
      reason: `the bed reservation expired at ${expiresAt} before the admission finished`,
    };
  if (!state.encounterId)
    return {
      kind: 'create_encounter',
      ward,
      bed,
      encounterClass: state.encounterClass,
      ...(state.reason ? { reason: state.reason } : {}),
    };
  if (!state.notified) return { kind: 'notify_care_team', encounterId: state.encounterId, ward, bed };
  return {
    kind: 'admit',
    encounterId: state.encounterId,
    ward,
    bed,
    ...(state.attendingPhysician ? { attendingPhysician: state.attendingPhysician } : {}),
  };
}

function nextCompensation(state: AdmissionSagaState): AdmissionDecision {
  const failure = state.failure!;
  if (state.encounterId && !state.encounterClosed)
    return { kind: 'close_encounter', encounterId: state.encounterId };
  if (state.reservation && !state.bedReleased)
    return {
      kind: 'release_bed',
      ward: state.reservation.ward,
      bed: state.reservation.bed,
      reason: failure.cause === 'reservation_expired' ? 'reservation_expired' : 'saga_compensation',
    };
  return { kind: 'fail', step: failure.step, reason: failure.reason, compensations: state.compensations };
}

function historyEntry(event: AdmissionSagaEvent): AdmissionSagaState['history'][number] {
  return {
    eventType: event.eventType,
    at: event.timestamp,
    ...(event.seq !== undefined ? { seq: event.seq } : {}),
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled admission saga case: ${JSON.stringify(value)}`);
}
