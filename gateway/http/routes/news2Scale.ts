import type { FastifyInstance } from 'fastify';
import { chooseNews2Scale, type RoleConfig } from '../../../kernel/roles/clinicalRoles.ts';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import type { AppendedReply } from '../apiContract.ts';
import { news2ScaleBody } from '../contract/encounters.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';

type Route = {
  Params: { patientId: string };
  Body: { spo2Scale: 1 | 2; reason: string };
  Reply: AppendedReply;
};

/**
 * A clinician's choice of the NEWS2 SpO2 scale for an admitted patient's
 * encounter (docs/critical-values.md#news2-aggregate-score): appends
 * encounter_updated with `news2Spo2Scale`, which the chart, the board and the
 * aggregate-score alert read from the next reading on.
 */
export async function news2ScaleRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const admitted = (patientId: string): PatientDoc => {
    const patient = services.projections.get<PatientDoc>('patients', patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    if (patient.status !== 'admitted' || !patient.encounterId)
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [patientId, 'is not admitted']);
    return patient;
  };

  app.put<Route, RoleConfig>(
    '/api/v1/patients/:patientId/news2-scale',
    {
      config: chooseNews2Scale,
      schema: {
        tags: ['encounters'],
        summary: "Choose the NEWS2 SpO2 scale of an admitted patient's encounter (scale 2: hypercapnic)",
        description:
          'Physician or admin. Scale 2 only for confirmed hypercapnic respiratory failure (RCP 2017). 409 GW_ERR_ENCOUNTER_STATE when the patient is not admitted.',
        params: patientIdParams,
        body: news2ScaleBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const encounterId = admitted(patientId).encounterId!;
      const { spo2Scale, reason } = request.body;
      const events = await recordOrFail(services.recorder, {
        draft: draftFor(
          services,
          'encounter_updated',
          {
            encounterId,
            news2Spo2Scale: spo2Scale,
            news2Spo2ScaleReason: reason,
            updatedAt: services.clock().toISOString(),
          },
          { patientId, correlationId: encounterId, actor: requireActor(request) },
        ),
        channel: 'http',
        origin: 'PUT /api/v1/patients/:patientId/news2-scale',
        precondition: () => {
          if (admitted(patientId).encounterId !== encounterId)
            throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [patientId, 'was readmitted meanwhile']);
        },
      });
      return appendedSummary(events);
    },
  );
}
