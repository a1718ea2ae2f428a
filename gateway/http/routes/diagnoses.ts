import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { icd10CodePattern } from '../../../kernel/events/schemas/diagnosis.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { DiagnosesDoc } from '../../projections/diagnoses.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import { catalogueField } from '../contract/catalogueFields.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AppendedReply, DiagnosisAdded, DiagnosisList } from '../apiContract.ts';
import { diagnosisAddedReply, diagnosisListReply } from '../contract/clinicalRecord.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import { readChart, type RoleConfig, writeDiagnoses } from '../../../kernel/roles/clinicalRoles.ts';

const added = (field: string) => catalogueField('diagnosis_added', field);

const addDiagnosisBody = {
  type: 'object',
  additionalProperties: false,
  required: ['icd10Code', 'description'],
  properties: {
    icd10Code: {
      type: 'string',
      pattern: icd10CodePattern,
      maxLength: 8,
      description: 'ICD-10 (WHO or ICD-10-CM) in capitals, e.g. B50.9, O80, U07.1',
    },
    description: { type: 'string', minLength: 1, maxLength: 255, description: 'The diagnosis in words' },
    clinicalStatus: { ...added('clinicalStatus'), default: 'active' },
    verificationStatus: { ...added('verificationStatus'), default: 'confirmed' },
    category: added('category'),
    primary: added('primary'),
    severity: added('severity'),
    onset: added('onset'),
    note: added('note'),
    encounterId: { ...added('encounterId'), description: "Default: the patient's current encounter" },
  },
} as const;

const resolveBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    clinicalStatus: { ...catalogueField('diagnosis_resolved', 'clinicalStatus'), default: 'resolved' },
    abatement: catalogueField('diagnosis_resolved', 'abatement'),
    note: catalogueField('diagnosis_resolved', 'note'),
  },
} as const;

type Params = { Params: { patientId: string } };
type DiagnosisParams = { Params: { patientId: string; diagnosisId: string } };
type AddBody = { icd10Code: string; description: string; encounterId?: string } & Record<string, unknown>;

/** A patient's diagnoses (ICD-10): add, resolve, list. */
export async function diagnosisRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;
  const patientOf = (patientId: string) => {
    const patient = projections.get<PatientDoc>('patients', patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    return patient;
  };
  const diagnosesOf = (patientId: string) =>
    projections.get<DiagnosesDoc>('diagnoses', patientId)?.diagnoses ?? [];

  app.get<Params & { Reply: DiagnosisList }, RoleConfig>(
    '/api/v1/patients/:patientId/diagnoses',
    {
      schema: {
        tags: ['diagnoses'],
        summary: "A patient's diagnoses, oldest first",
        params: patientIdParams,
        response: { 200: diagnosisListReply, ...errorReplies(400, ...signedIn, 404) },
      },
      config: readChart,
    },
    async (request) => {
      const { patientId } = request.params;
      patientOf(patientId);
      return { patientId, diagnoses: diagnosesOf(patientId) };
    },
  );

  app.post<Params & { Body: AddBody; Reply: DiagnosisAdded }, RoleConfig>(
    '/api/v1/patients/:patientId/diagnoses',
    {
      schema: {
        tags: ['diagnoses'],
        summary: 'Record a diagnosis with its ICD-10 code (appends diagnosis_added)',
        params: patientIdParams,
        body: addDiagnosisBody,
        response: { 201: diagnosisAddedReply, ...errorReplies(400, ...signedIn, 404, 422) },
      },
      config: writeDiagnoses,
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const actor = requireActor(request);
      const patient = patientOf(patientId);
      const {
        icd10Code,
        description,
        encounterId = patient.encounterId,
        clinicalStatus = 'active',
        verificationStatus = 'confirmed',
        ...rest
      } = request.body;
      const diagnosisId = services.newId();
      const at = clock().toISOString();
      const data = {
        diagnosisId,
        ...(encounterId ? { encounterId } : {}),
        code: icd10Code,
        display: description,
        clinicalStatus,
        verificationStatus,
        ...rest,
        recordedAt: at,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'diagnosis_added', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/diagnoses',
        precondition: () => void patientOf(patientId),
      });
      return reply.code(201).send({ diagnosisId, ...appendedSummary(events) });
    },
  );

  app.post<DiagnosisParams & { Body: Record<string, unknown> | null; Reply: AppendedReply }, RoleConfig>(
    '/api/v1/patients/:patientId/diagnoses/:diagnosisId/resolution',
    {
      schema: {
        tags: ['diagnoses'],
        summary: 'The diagnosis no longer applies: resolved or in remission (appends diagnosis_resolved)',
        params: {
          type: 'object',
          required: ['patientId', 'diagnosisId'],
          properties: {
            patientId: { type: 'string', minLength: 1, maxLength: 64 },
            diagnosisId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        body: resolveBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: writeDiagnoses,
    },
    async (request) => {
      const { patientId, diagnosisId } = request.params;
      const actor = requireActor(request);
      const current = () => {
        patientOf(patientId);
        const diagnosis = diagnosesOf(patientId).find((entry) => entry.diagnosisId === diagnosisId);
        if (!diagnosis) throw new GatewayError('GW_ERR_DIAGNOSIS_UNKNOWN', [diagnosisId, patientId]);
        if (diagnosis.resolvedAt)
          throw new GatewayError('GW_ERR_DIAGNOSIS_STATE', [
            diagnosisId,
            `already ${diagnosis.clinicalStatus}`,
          ]);
        return diagnosis;
      };
      const diagnosis = current();
      const at = clock().toISOString();
      const body = request.body ?? {};
      const data = {
        diagnosisId,
        ...(diagnosis.encounterId ? { encounterId: diagnosis.encounterId } : {}),
        clinicalStatus: 'resolved',
        ...body,
        resolvedAt: at,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'diagnosis_resolved', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/diagnoses/:diagnosisId/resolution',
        precondition: () => void current(),
      });
      return appendedSummary(events);
    },
  );
}
