import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { LabResultsDoc } from '../../projections/labResults.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import type { LabResultList } from '../apiContract.ts';
import { labResultListReply } from '../contract/clinicalRecord.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { patientIdParams } from '../contract/patients.ts';
import { readChart, type RoleConfig } from '../../../kernel/roles/clinicalRoles.ts';

/**
 * A patient's lab results: each lab_result_available for the patient,
 * whoever published it (the hub's lab service, the gateway's analyzer
 * drivers), with its latest status and the statuses before it.
 */
export async function labResultRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Params: { patientId: string }; Reply: LabResultList }, RoleConfig>(
    '/api/v1/patients/:patientId/lab-results',
    {
      schema: {
        tags: ['lab'],
        summary:
          "A patient's lab results, oldest first; a corrected or final result replaces its preliminary one",
        params: patientIdParams,
        response: { 200: labResultListReply, ...errorReplies(400, ...signedIn, 404) },
      },
      config: readChart,
    },
    async (request) => {
      const { patientId } = request.params;
      if (!services.projections.get<PatientDoc>('patients', patientId))
        throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const results = services.projections.get<LabResultsDoc>('labResults', patientId)?.results ?? [];
      return { patientId, results };
    },
  );
}
