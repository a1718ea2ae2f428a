import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { DiagnosesDoc, DiagnosisEntry } from '../../projections/diagnoses.ts';
import type { EncounterDoc } from '../../projections/encounters.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AppendedReply } from '../apiContract.ts';
import {
  diagnosisUpdateBody,
  diagnosisUpdateParams,
  encounterUpdateBody,
  encounterUpdateParams,
} from '../contract/clinicalUpdates.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { type RoleConfig, updateEncounters, writeDiagnoses } from '../../../kernel/roles/clinicalRoles.ts';

type EncounterRequest = {
  Params: { patientId: string; encounterId: string };
  Body: Record<string, unknown>;
  Reply: AppendedReply;
};
type DiagnosisRequest = {
  Params: { patientId: string; diagnosisId: string };
  Body: { icd10Code?: string; description?: string } & Record<string, unknown>;
  Reply: AppendedReply;
};

/**
 * A physician's corrections on the chart, each appended as its event:
 * encounter_updated (attending physician, class, reason) and diagnosis_updated
 * (verification status, severity, note, code, with the reason). The event
 * carries only what changed (docs/events.md); the read models lay it over
 * what they hold.
 */
export async function clinicalUpdateRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;

  const openEncounter = (patientId: string, encounterId: string): EncounterDoc => {
    const encounter = projections.get<EncounterDoc>('encounters', encounterId);
    if (!encounter || encounter.patientId !== patientId)
      throw new GatewayError('GW_ERR_ENCOUNTER_UNKNOWN', [encounterId, patientId]);
    if (encounter.status !== 'in-progress')
      throw new GatewayError('GW_ERR_ENCOUNTER_CLOSED', [encounterId, encounter.status]);
    return encounter;
  };

  const currentDiagnosis = (patientId: string, diagnosisId: string): DiagnosisEntry => {
    const diagnoses = projections.get<DiagnosesDoc>('diagnoses', patientId)?.diagnoses ?? [];
    const diagnosis = diagnoses.find((entry) => entry.diagnosisId === diagnosisId);
    if (!diagnosis) throw new GatewayError('GW_ERR_DIAGNOSIS_UNKNOWN', [diagnosisId, patientId]);
    // FHIR condition-ver-status: entered-in-error withdraws the record; it is not corrected further.
    if (diagnosis.verificationStatus === 'entered-in-error')
      throw new GatewayError('GW_ERR_DIAGNOSIS_STATE', [diagnosisId, 'entered in error']);
    return diagnosis;
  };

  app.patch<EncounterRequest, RoleConfig>(
    '/api/v1/patients/:patientId/encounters/:encounterId',
    {
      schema: {
        tags: ['encounters'],
        summary:
          "Change an open encounter's attending physician, class or reason (appends encounter_updated)",
        params: encounterUpdateParams,
        body: encounterUpdateBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: updateEncounters,
    },
    async (request) => {
      const { patientId, encounterId } = request.params;
      const actor = requireActor(request);
      openEncounter(patientId, encounterId);
      const at = clock().toISOString();
      const data = { encounterId, ...request.body, updatedAt: at };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'encounter_updated', data, {
          patientId,
          actor,
          correlationId: encounterId,
          at,
        }),
        channel: 'http',
        origin: 'PATCH /api/v1/patients/:patientId/encounters/:encounterId',
        precondition: () => void openEncounter(patientId, encounterId),
      });
      return appendedSummary(events);
    },
  );

  app.patch<DiagnosisRequest, RoleConfig>(
    '/api/v1/patients/:patientId/diagnoses/:diagnosisId',
    {
      schema: {
        tags: ['diagnoses'],
        summary:
          "Correct a diagnosis's verification status, severity, note or code, with the reason (appends diagnosis_updated)",
        params: diagnosisUpdateParams,
        body: diagnosisUpdateBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: writeDiagnoses,
    },
    async (request) => {
      const { patientId, diagnosisId } = request.params;
      const actor = requireActor(request);
      const diagnosis = currentDiagnosis(patientId, diagnosisId);
      const { icd10Code, description, ...changes } = request.body;
      const at = clock().toISOString();
      const data = {
        diagnosisId,
        ...(diagnosis.encounterId ? { encounterId: diagnosis.encounterId } : {}),
        ...(icd10Code ? { code: icd10Code, display: description } : {}),
        ...changes,
        updatedAt: at,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'diagnosis_updated', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'PATCH /api/v1/patients/:patientId/diagnoses/:diagnosisId',
        precondition: () => void currentDiagnosis(patientId, diagnosisId),
      });
      return appendedSummary(events);
    },
  );
}
