import { describe, expect, it } from 'vitest';
import {
  type AdmissionSagaEvent,
  type AdmissionSagaState,
  admissionSagaOf,
  decideAdmissionStep,
  nextAdmissionStep,
} from '../../../gateway/sagas/admissionSaga.ts';

const policy = { reservationSeconds: 600 };
const t0 = '2026-11-26T08:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

/** The saga's events, built the way the runner records them. */
const events = {
  started: (bed?: string): AdmissionSagaEvent => ({
    eventType: 'admission_saga_started',
    timestamp: t0,
    patientId: 'p-1',
    data: {
      sagaId: 's-1',
      ward: 'Maternity',
      ...(bed ? { bed } : {}),
      encounterClass: 'maternity',
      startedAt: t0,
    },
  }),
  reserved: (expiresAfter = 600): AdmissionSagaEvent => ({
    eventType: 'bed_reserved',
    timestamp: iso(1),
    data: {
      sagaId: 's-1',
      ward: 'Maternity',
      bed: 'M4',
      reservedAt: iso(1),
      expiresAt: iso(1 + expiresAfter),
    },
  }),
  encounter: (): AdmissionSagaEvent => ({
    eventType: 'encounter_created',
    timestamp: iso(2),
    data: { encounterId: 'e-1', startedAt: iso(2) },
  }),
  notified: (): AdmissionSagaEvent => ({
    eventType: 'care_team_notified',
    timestamp: iso(3),
    data: { sagaId: 's-1', encounterId: 'e-1', notifiedAt: iso(3) },
  }),
  admitted: (): AdmissionSagaEvent => ({
    eventType: 'patient_admitted',
    timestamp: iso(4),
    data: { encounterId: 'e-1', admittedAt: iso(4) },
  }),
  completed: (): AdmissionSagaEvent => ({
    eventType: 'admission_saga_completed',
    timestamp: iso(4),
    data: { sagaId: 's-1', encounterId: 'e-1', completedAt: iso(4) },
  }),
  stepFailed: (
    failedStep: 'reserve_bed' | 'create_encounter' | 'notify_care_team',
    cause: 'step_failed' | 'reservation_expired' = 'step_failed',
  ): AdmissionSagaEvent => ({
    eventType: 'admission_saga_step_failed',
    timestamp: iso(5),
    data: {
      sagaId: 's-1',
      failedStep,
      cause,
      reason: 'care team webhook answered HTTP 500',
      failedAt: iso(5),
    },
  }),
  closed: (): AdmissionSagaEvent => ({
    eventType: 'encounter_closed',
    timestamp: iso(6),
    data: { encounterId: 'e-1', reason: 'admission_cancelled', closedAt: iso(6) },
  }),
  released: (): AdmissionSagaEvent => ({
    eventType: 'bed_released',
    timestamp: iso(7),
    data: { sagaId: 's-1', ward: 'Maternity', bed: 'M4', releasedAt: iso(7) },
  }),
  failed: (): AdmissionSagaEvent => ({
    eventType: 'admission_saga_failed',
    timestamp: iso(8),
    data: { sagaId: 's-1', failedStep: 'notify_care_team', reason: 'x', compensations: [] },
  }),
};

const sagaAfter = (...history: AdmissionSagaEvent[]): AdmissionSagaState => {
  const saga = admissionSagaOf(history);
  if (!saga) throw new Error('the saga did not start');
  return saga;
};
const next = (history: AdmissionSagaEvent[], seconds = 10) =>
  decideAdmissionStep(sagaAfter(...history), at(seconds), policy);

describe('an admission saga whose steps all succeed', () => {
  it('reserves the bed asked for, holding it for the reservation time', () => {
    expect(next([events.started('M4')], 1)).toEqual({
      kind: 'reserve_bed',
      ward: 'Maternity',
      bed: 'M4',
      expiresAt: iso(601),
    });
  });

  it('leaves the bed to the runner when none was chosen at the start', () => {
    expect(next([events.started()])).toEqual({ kind: 'reserve_bed', ward: 'Maternity', expiresAt: iso(610) });
  });

  it('creates the encounter in the reserved bed once the bed is held, with the class asked for', () => {
    expect(next([events.started('M4'), events.reserved()])).toEqual({
      kind: 'create_encounter',
      ward: 'Maternity',
      bed: 'M4',
      encounterClass: 'maternity',
    });
  });

  it('notifies the care team once the encounter exists', () => {
    expect(next([events.started('M4'), events.reserved(), events.encounter()])).toEqual({
      kind: 'notify_care_team',
      encounterId: 'e-1',
      ward: 'Maternity',
      bed: 'M4',
    });
  });

  it('admits once the care team was told, and then has nothing left to do', () => {
    const done = [events.started('M4'), events.reserved(), events.encounter(), events.notified()];
    expect(next(done)).toEqual({ kind: 'admit', encounterId: 'e-1', ward: 'Maternity', bed: 'M4' });
    const completed = sagaAfter(...done, events.admitted(), events.completed());
    expect(completed.status).toBe('completed');
    expect(decideAdmissionStep(completed, at(20), policy)).toEqual({ kind: 'none' });
    expect(completed.history.map((entry) => entry.eventType)).toEqual([
      'admission_saga_started',
      'bed_reserved',
      'encounter_created',
      'care_team_notified',
      'patient_admitted',
      'admission_saga_completed',
    ]);
  });

  it('admits even when the hold expired after the care team was told (crash just before admitting)', () => {
    const done = [events.started('M4'), events.reserved(60), events.encounter(), events.notified()];
    expect(next(done, 3600).kind).toBe('admit');
  });
});

describe('a failed step', () => {
  it('at reserve_bed: nothing to undo, the saga fails with no compensation', () => {
    const history = [events.started('M4'), events.stepFailed('reserve_bed')];
    expect(sagaAfter(...history).status).toBe('compensating');
    expect(next(history)).toEqual({
      kind: 'fail',
      step: 'reserve_bed',
      reason: 'care team webhook answered HTTP 500',
      compensations: [],
    });
  });

  it('at create_encounter: releases the bed (saga_compensation), then fails naming release_bed', () => {
    const history = [events.started('M4'), events.reserved(), events.stepFailed('create_encounter')];
    expect(next(history)).toEqual({
      kind: 'release_bed',
      ward: 'Maternity',
      bed: 'M4',
      reason: 'saga_compensation',
    });
    expect(next([...history, events.released()])).toMatchObject({
      kind: 'fail',
      step: 'create_encounter',
      compensations: ['release_bed'],
    });
  });

  it('at notify_care_team: closes the encounter, then releases the bed, in reverse order of the steps', () => {
    const history = [
      events.started('M4'),
      events.reserved(),
      events.encounter(),
      events.stepFailed('notify_care_team'),
    ];
    expect(next(history)).toEqual({ kind: 'close_encounter', encounterId: 'e-1' });
    expect(next([...history, events.closed()])).toEqual({
      kind: 'release_bed',
      ward: 'Maternity',
      bed: 'M4',
      reason: 'saga_compensation',
    });
    expect(next([...history, events.closed(), events.released()])).toEqual({
      kind: 'fail',
      step: 'notify_care_team',
      reason: 'care team webhook answered HTTP 500',
      compensations: ['close_encounter', 'release_bed'],
    });
    const failed = sagaAfter(...history, events.closed(), events.released(), events.failed());
    expect(failed.status).toBe('failed');
    expect(decideAdmissionStep(failed, at(20), policy)).toEqual({ kind: 'none' });
  });

  it('never goes forward again once a step failed, even if a late step event arrives', () => {
    const history = [
      events.started('M4'),
      events.reserved(),
      events.stepFailed('create_encounter'),
      events.encounter(),
    ];
    // The encounter exists after all: it is compensated too, before the bed.
    expect(next(history)).toEqual({ kind: 'close_encounter', encounterId: 'e-1' });
  });
});

describe('a gateway that crashed between steps', () => {
  it('after bed_reserved, within the hold: resumes by creating the encounter', () => {
    expect(next([events.started('M4'), events.reserved(600)], 120).kind).toBe('create_encounter');
  });

  it('after encounter_created, within the hold: resumes by notifying the care team again', () => {
    expect(next([events.started('M4'), events.reserved(600), events.encounter()], 120).kind).toBe(
      'notify_care_team',
    );
  });

  it('after bed_reserved, past the hold: records the failure as an expiry, then releases the bed as expired', () => {
    const history = [events.started('M4'), events.reserved(60)];
    const decision = next(history, 3600);
    expect(decision).toMatchObject({
      kind: 'record_failure',
      step: 'create_encounter',
      cause: 'reservation_expired',
    });
    const after = [...history, events.stepFailed('create_encounter', 'reservation_expired')];
    expect(next(after, 3600)).toEqual({
      kind: 'release_bed',
      ward: 'Maternity',
      bed: 'M4',
      reason: 'reservation_expired',
    });
  });

  it('after encounter_created, past the hold: the failure is at notify_care_team and both steps are undone', () => {
    const history = [events.started('M4'), events.reserved(60), events.encounter()];
    expect(next(history, 3600)).toMatchObject({ kind: 'record_failure', step: 'notify_care_team' });
    const after = [...history, events.stepFailed('notify_care_team', 'reservation_expired')];
    expect(next(after, 3600)).toEqual({ kind: 'close_encounter', encounterId: 'e-1' });
  });

  it('mid-compensation (encounter closed, bed not yet released): carries on with the release, not the step', () => {
    const history = [
      events.started('M4'),
      events.reserved(),
      events.encounter(),
      events.stepFailed('notify_care_team'),
      events.closed(),
    ];
    expect(sagaAfter(...history).status).toBe('compensating');
    expect(next(history, 5).kind).toBe('release_bed');
  });
});

describe('the saga as a function of its events', () => {
  it('gives the same decision from the events as from their fold, and none before a start', () => {
    const history = [events.started('M4'), events.reserved(), events.encounter()];
    expect(nextAdmissionStep(history, at(10), policy)).toEqual(next(history));
    expect(nextAdmissionStep([events.reserved()], at(10), policy)).toEqual({ kind: 'none' });
  });
});

describe('the fold', () => {
  it('ignores events before the saga started, and a second start', () => {
    expect(admissionSagaOf([events.reserved()])).toBeUndefined();
    const twice = sagaAfter(events.started('M4'), events.started('M1'));
    expect(twice.bed).toBe('M4');
  });

  it('keeps the patient of the start event and the hold of the reservation', () => {
    expect(sagaAfter(events.started('M4'), events.reserved())).toMatchObject({
      patientId: 'p-1',
      status: 'running',
      reservation: { ward: 'Maternity', bed: 'M4', expiresAt: iso(601) },
    });
  });
});
