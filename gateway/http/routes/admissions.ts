import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { AdmissionSagaState } from '../../sagas/admissionSaga.ts';
import { readChart, type RoleConfig } from '../../../kernel/roles/clinicalRoles.ts';
import type { AdmissionReply, AdmissionSaga } from '../apiContract.ts';
import { admissionSagaView, sagaIdParams } from '../contract/encounters.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';

/**
 * The HTTP answer for a saga that ran to its end: the admission, or the coded
 * error that says it was refused or rolled back. A saga left unfinished
 * because the gateway is stopping resumes at the next start (503).
 */
export function admissionOutcome(saga: AdmissionSagaState): AdmissionReply {
  const { sagaId, failure } = saga;
  if (saga.status === 'completed')
    return {
      sagaId,
      encounterId: saga.encounterId!,
      ward: saga.reservation!.ward,
      bed: saga.reservation!.bed,
    };
  if (saga.status !== 'failed') throw new GatewayError('GW_ERR_LOG_CLOSED', []);
  const details = {
    sagaId,
    failedStep: failure?.step,
    reason: failure?.reason,
    compensations: saga.compensations,
  };
  // Another admission of the same patient got its bed first: nothing was done but the attempt.
  if (failure?.step === 'reserve_bed' && failure.reason.startsWith('GW_ERR_ENCOUNTER_STATE'))
    throw new GatewayError(
      'GW_ERR_ENCOUNTER_STATE',
      [saga.patientId, 'has another admission in progress'],
      details,
    );
  // Another admission took the bed between the check and the reservation: nothing was done but the attempt.
  if (failure?.step === 'reserve_bed')
    throw new GatewayError(
      'GW_ERR_BED_UNAVAILABLE',
      [saga.bed ?? '(any)', saga.ward, 'held by another admission'],
      details,
    );
  throw new GatewayError(
    'GW_ERR_ADMISSION_FAILED',
    [
      sagaId,
      failure?.step ?? 'unknown',
      saga.compensations.join(', ') || 'nothing to undo',
      failure?.reason ?? '',
    ],
    details,
  );
}

/** An admission saga as the API shows it: state, the bed it holds, what failed, each step recorded. */
export async function admissionRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Params: { sagaId: string }; Reply: AdmissionSaga }, RoleConfig>(
    '/api/v1/admissions/:sagaId',
    {
      schema: {
        tags: ['admissions'],
        summary: 'An admission saga: status (running, compensating, completed, failed) and its steps',
        params: sagaIdParams,
        response: { 200: admissionSagaView, ...errorReplies(400, ...signedIn, 404) },
      },
      config: readChart,
    },
    async (request) => {
      const saga = services.admissions.saga(request.params.sagaId);
      if (!saga) throw new GatewayError('GW_ERR_ADMISSION_UNKNOWN', [request.params.sagaId]);
      return saga;
    },
  );
}
