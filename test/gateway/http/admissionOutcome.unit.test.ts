import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../gateway/errors.ts';
import { admissionOutcome } from '../../../gateway/http/routes/admissions.ts';
import type { AdmissionSagaState } from '../../../gateway/sagas/admissionSaga.ts';

const base: AdmissionSagaState = {
  sagaId: 's-1',
  patientId: 'p-1',
  status: 'running',
  ward: 'Maternity',
  bed: 'M4',
  encounterClass: 'inpatient',
  startedAt: '2026-11-26T08:00:00.000Z',
  bedReleased: false,
  encounterClosed: false,
  notified: false,
  admitted: false,
  compensations: [],
  history: [],
};

function thrown(saga: AdmissionSagaState): GatewayError {
  try {
    admissionOutcome(saga);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('the answer to an admission', () => {
  it('is the saga, encounter, ward and bed once completed', () => {
    const saga = {
      ...base,
      status: 'completed' as const,
      encounterId: 'e-1',
      reservation: { ward: 'Maternity', bed: 'M4' },
    };
    expect(admissionOutcome(saga)).toEqual({
      sagaId: 's-1',
      encounterId: 'e-1',
      ward: 'Maternity',
      bed: 'M4',
    });
  });

  it('is 409 GW_ERR_BED_UNAVAILABLE when the saga lost the bed at the reservation', () => {
    const error = thrown({
      ...base,
      status: 'failed',
      failure: { step: 'reserve_bed', cause: 'step_failed', reason: 'GW_ERR_BED_UNAVAILABLE: taken' },
    });
    expect(error).toMatchObject({
      code: 'GW_ERR_BED_UNAVAILABLE',
      statusCode: 409,
      details: { sagaId: 's-1' },
    });
  });

  it('is 409 GW_ERR_ENCOUNTER_STATE when another admission of the patient got a bed first', () => {
    const error = thrown({
      ...base,
      status: 'failed',
      failure: {
        step: 'reserve_bed',
        cause: 'step_failed',
        reason: 'GW_ERR_ENCOUNTER_STATE: Patient "p-1": holds bed M1',
      },
    });
    expect(error).toMatchObject({
      code: 'GW_ERR_ENCOUNTER_STATE',
      statusCode: 409,
      details: { sagaId: 's-1' },
    });
  });

  it('is 502 GW_ERR_ADMISSION_FAILED naming the step, what was undone and why, when a later step failed', () => {
    const error = thrown({
      ...base,
      status: 'failed',
      failure: {
        step: 'notify_care_team',
        cause: 'step_failed',
        reason: 'care team webhook answered HTTP 500',
      },
      compensations: ['close_encounter', 'release_bed'],
    });
    expect(error.statusCode).toBe(502);
    expect(error.message).toBe(
      'Admission s-1 failed at step notify_care_team and was rolled back (close_encounter, release_bed): care team webhook answered HTTP 500',
    );
    expect(error.details).toEqual({
      sagaId: 's-1',
      failedStep: 'notify_care_team',
      reason: 'care team webhook answered HTTP 500',
      compensations: ['close_encounter', 'release_bed'],
    });
  });

  it('is 503 GW_ERR_LOG_CLOSED for a saga left unfinished because the gateway is stopping', () => {
    expect(thrown(base).code).toBe('GW_ERR_LOG_CLOSED');
  });
});
