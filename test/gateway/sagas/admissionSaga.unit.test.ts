import { describe, expect, it } from 'vitest';
import { admissionSagasProjection, asSagaEvent } from '../../../gateway/projections/admissionSagas.ts';
import {
  type AdmissionSagaState,
  decideAdmissionStep,
  nextAdmissionStep,
} from '../../../gateway/sagas/admissionSaga.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { deciderSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const policy = { reservationSeconds: 600 };
const t0 = '2026-11-26T08:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

/**
 * The saga as the runner sees it: its events folded as the admissionSagas
 * read model folds them, and the next step decided at a moment (`when(at(s))`).
 */
const admission = deciderSpec({
  initialState: (): AdmissionSagaState | undefined => undefined,
  evolve: admissionSagasProjection.evolve,
  decide(now: Date, saga: AdmissionSagaState | undefined) {
    if (!saga) throw new Error('the saga did not start');
    return decideAdmissionStep(saga, now, policy);
  },
});

/** Saga s-1 of patient p-1: bed M4 of Maternity, encounter e-1. */
const build = eventBuilder({ start: t0, stepSeconds: 1, envelope: { patientId: 'p-1' } });
const saga = { sagaId: 's-1' };
const m4 = { ...saga, ward: 'Maternity', bed: 'M4' };
const events = {
  started: (bed?: string) =>
    build.admissionSagaStarted({
      ...saga,
      ward: 'Maternity',
      ...(bed ? { bed } : {}),
      encounterClass: 'maternity',
      startedAt: t0,
    }),
  reserved: (expiresAfter = 600) =>
    build.bedReserved({ ...m4, reservedAt: iso(1), expiresAt: iso(1 + expiresAfter) }),
  encounter: () => build.encounterCreated({ encounterId: 'e-1' }),
  notified: () => build.careTeamNotified({ ...saga, encounterId: 'e-1' }),
  admitted: () =>
    build.patientAdmitted({ encounterId: 'e-1', ward: 'Maternity', bed: 'M4' }, { correlationId: 's-1' }),
  completed: () => build.admissionSagaCompleted({ ...m4, encounterId: 'e-1' }),
  stepFailed: (
    failedStep: 'reserve_bed' | 'create_encounter' | 'notify_care_team',
    cause: 'step_failed' | 'reservation_expired' = 'step_failed',
  ) =>
    build.admissionSagaStepFailed({
      ...saga,
      failedStep,
      cause,
      reason: 'care team webhook answered HTTP 500',
    }),
  closed: () => build.encounterClosed({ encounterId: 'e-1', reason: 'admission_cancelled' }),
  released: () => build.bedReleased(m4),
  failed: () => build.admissionSagaFailed({ ...saga, failedStep: 'notify_care_team', reason: 'x' }),
};

describe('an admission saga whose steps all succeed', () => {
  it('reserves the bed asked for, holding it for the reservation time', () => {
    admission
      .given(events.started('M4'))
      .when(at(1))
      .then({ kind: 'reserve_bed', ward: 'Maternity', bed: 'M4', expiresAt: iso(601) });
  });

  it('leaves the bed to the runner when none was chosen at the start', () => {
    admission
      .given(events.started())
      .when(at(10))
      .then({ kind: 'reserve_bed', ward: 'Maternity', expiresAt: iso(610) });
  });

  it('creates the encounter in the reserved bed once the bed is held, with the class asked for', () => {
    admission
      .given(events.started('M4'), events.reserved())
      .when(at(10))
      .then({ kind: 'create_encounter', ward: 'Maternity', bed: 'M4', encounterClass: 'maternity' });
  });

  it('notifies the care team once the encounter exists', () => {
    admission
      .given(events.started('M4'), events.reserved(), events.encounter())
      .when(at(10))
      .then({ kind: 'notify_care_team', encounterId: 'e-1', ward: 'Maternity', bed: 'M4' });
  });

  it('admits once the care team was told, and then has nothing left to do', () => {
    const done = [events.started('M4'), events.reserved(), events.encounter(), events.notified()];
    admission
      .given(done)
      .when(at(10))
      .then({ kind: 'admit', encounterId: 'e-1', ward: 'Maternity', bed: 'M4' });
    const completed = admission.given(done, events.admitted(), events.completed());
    completed.thenStateMatches({ status: 'completed' });
    completed.when(at(20)).then({ kind: 'none' });
    expect(completed.state?.history.map((entry) => entry.eventType)).toEqual([
      'admission_saga_started',
      'bed_reserved',
      'encounter_created',
      'care_team_notified',
      'patient_admitted',
      'admission_saga_completed',
    ]);
  });

  it('admits even when the hold expired after the care team was told (crash just before admitting)', () => {
    admission
      .given(events.started('M4'), events.reserved(60), events.encounter(), events.notified())
      .when(at(3600))
      .thenMatches({ kind: 'admit' });
  });
});

describe('a failed step', () => {
  it('at reserve_bed: nothing to undo, the saga fails with no compensation', () => {
    const failed = admission.given(events.started('M4'), events.stepFailed('reserve_bed'));
    failed.thenStateMatches({ status: 'compensating' });
    failed.when(at(10)).then({
      kind: 'fail',
      step: 'reserve_bed',
      reason: 'care team webhook answered HTTP 500',
      compensations: [],
    });
  });

  it('at create_encounter: releases the bed (saga_compensation), then fails naming release_bed', () => {
    const history = [events.started('M4'), events.reserved(), events.stepFailed('create_encounter')];
    admission
      .given(history)
      .when(at(10))
      .then({ kind: 'release_bed', ward: 'Maternity', bed: 'M4', reason: 'saga_compensation' });
    admission
      .given(history, events.released())
      .when(at(10))
      .thenMatches({ kind: 'fail', step: 'create_encounter', compensations: ['release_bed'] });
  });

  it('at notify_care_team: closes the encounter, then releases the bed, in reverse order of the steps', () => {
    const history = [
      events.started('M4'),
      events.reserved(),
      events.encounter(),
      events.stepFailed('notify_care_team'),
    ];
    admission.given(history).when(at(10)).then({ kind: 'close_encounter', encounterId: 'e-1' });
    admission
      .given(history, events.closed())
      .when(at(10))
      .then({ kind: 'release_bed', ward: 'Maternity', bed: 'M4', reason: 'saga_compensation' });
    admission
      .given(history, events.closed(), events.released())
      .when(at(10))
      .then({
        kind: 'fail',
        step: 'notify_care_team',
        reason: 'care team webhook answered HTTP 500',
        compensations: ['close_encounter', 'release_bed'],
      });
    const failed = admission.given(history, events.closed(), events.released(), events.failed());
    failed.thenStateMatches({ status: 'failed' });
    failed.when(at(20)).then({ kind: 'none' });
  });

  it('never goes forward again once a step failed, even if a late step event arrives', () => {
    admission
      .given(
        events.started('M4'),
        events.reserved(),
        events.stepFailed('create_encounter'),
        events.encounter(),
      )
      .when(at(10))
      // The encounter exists after all: it is compensated too, before the bed.
      .then({ kind: 'close_encounter', encounterId: 'e-1' });
  });
});

describe('a gateway that crashed between steps', () => {
  it('after bed_reserved, within the hold: resumes by creating the encounter', () => {
    admission
      .given(events.started('M4'), events.reserved(600))
      .when(at(120))
      .thenMatches({ kind: 'create_encounter' });
  });

  it('after encounter_created, within the hold: resumes by notifying the care team again', () => {
    admission
      .given(events.started('M4'), events.reserved(600), events.encounter())
      .when(at(120))
      .thenMatches({ kind: 'notify_care_team' });
  });

  it('after bed_reserved, past the hold: records the failure as an expiry, then releases the bed as expired', () => {
    const history = [events.started('M4'), events.reserved(60)];
    admission
      .given(history)
      .when(at(3600))
      .thenMatches({ kind: 'record_failure', step: 'create_encounter', cause: 'reservation_expired' });
    admission
      .given(history, events.stepFailed('create_encounter', 'reservation_expired'))
      .when(at(3600))
      .then({ kind: 'release_bed', ward: 'Maternity', bed: 'M4', reason: 'reservation_expired' });
  });

  it('after encounter_created, past the hold: the failure is at notify_care_team and both steps are undone', () => {
    const history = [events.started('M4'), events.reserved(60), events.encounter()];
    admission.given(history).when(at(3600)).thenMatches({ kind: 'record_failure', step: 'notify_care_team' });
    admission
      .given(history, events.stepFailed('notify_care_team', 'reservation_expired'))
      .when(at(3600))
      .then({ kind: 'close_encounter', encounterId: 'e-1' });
  });

  it('mid-compensation (encounter closed, bed not yet released): carries on with the release, not the step', () => {
    const midway = admission.given(
      events.started('M4'),
      events.reserved(),
      events.encounter(),
      events.stepFailed('notify_care_team'),
      events.closed(),
    );
    midway.thenStateMatches({ status: 'compensating' });
    midway.when(at(5)).thenMatches({ kind: 'release_bed' });
  });
});

describe('the saga as a function of its events', () => {
  it('gives the same decision from the events as from their fold, and none before a start', () => {
    const history: ClinicalEvent[] = [events.started('M4'), events.reserved(), events.encounter()];
    admission
      .given(history)
      .when(at(10))
      .then(nextAdmissionStep(history.map(asSagaEvent), at(10), policy));
    expect(nextAdmissionStep([asSagaEvent(events.reserved())], at(10), policy)).toEqual({ kind: 'none' });
  });
});

describe('the fold', () => {
  it('ignores events before the saga started, and a second start', () => {
    admission.given(events.reserved()).thenState(undefined);
    admission.given(events.started('M4'), events.started('M1')).thenStateMatches({ bed: 'M4' });
  });

  it('keeps the patient of the start event and the hold of the reservation', () => {
    admission.given(events.started('M4'), events.reserved()).thenStateMatches({
      patientId: 'p-1',
      status: 'running',
      reservation: { ward: 'Maternity', bed: 'M4', expiresAt: iso(601) },
    });
  });
});
