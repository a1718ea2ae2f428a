import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { MedicationsDoc, Prescription } from '../../projections/medications.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import { catalogueField } from '../contract/catalogueFields.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { Administered, AppendedReply, MedicationChart, Prescribed } from '../apiContract.ts';
import { administeredReply, medicationChartReply, prescribedReply } from '../contract/clinicalRecord.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import {
  administerMedications,
  readChart,
  type RoleConfig,
  writePrescriptions,
} from '../../../kernel/roles/clinicalRoles.ts';

const prescribed = (field: string) => catalogueField('medication_prescribed', field);
const administered = (field: string) => catalogueField('medication_administered', field);

const prescribeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['drugName', 'dose', 'route', 'frequency'],
  properties: {
    drugName: prescribed('drugName'),
    atcCode: prescribed('atcCode'),
    formularyCode: prescribed('formularyCode'),
    strength: prescribed('strength'),
    dose: prescribed('dose'),
    route: prescribed('route'),
    frequency: prescribed('frequency'),
    duration: prescribed('duration'),
    diagnosisId: prescribed('diagnosisId'),
    indication: prescribed('indication'),
    instructions: prescribed('instructions'),
    startsAt: prescribed('startsAt'),
    encounterId: { ...prescribed('encounterId'), description: "Default: the patient's current encounter" },
  },
  if: { properties: { frequency: { const: 'other' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
  then: { required: ['instructions'] },
} as const;

const administerBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { ...administered('status'), default: 'given' },
    doseGiven: { ...administered('doseGiven'), description: 'Default: the prescribed dose' },
    route: administered('route'),
    site: administered('site'),
    reason: { ...administered('reason'), description: 'Why a dose was held or refused (required then)' },
    administeredAt: { ...administered('administeredAt'), description: 'Default: now' },
  },
  // A dose not given says why (the event's own rule, checked here so the field is named).
  if: { required: ['status'], properties: { status: { enum: ['held', 'refused'] } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
  then: { required: ['reason'] },
} as const;

const discontinueBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: catalogueField('medication_discontinued', 'reason'),
    note: catalogueField('medication_discontinued', 'note'),
  },
} as const;

const prescriptionParams = {
  type: 'object',
  required: ['patientId', 'prescriptionId'],
  properties: {
    patientId: { type: 'string', minLength: 1, maxLength: 64 },
    prescriptionId: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

type Params = { Params: { patientId: string } };
type PrescriptionParams = { Params: { patientId: string; prescriptionId: string } };
type Dose = { value: number; unit: string };

/** Prescribe, give (or hold, or record a refusal of) a dose, discontinue, and the medication chart. */
export async function medicationRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;
  const patientOf = (patientId: string) => {
    const patient = projections.get<PatientDoc>('patients', patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    return patient;
  };
  const chartOf = (patientId: string) =>
    projections.get<MedicationsDoc>('medications', patientId)?.prescriptions ?? [];
  /** The prescription, if it is on the patient's chart and still active. */
  const activePrescription = (patientId: string, prescriptionId: string): Prescription => {
    patientOf(patientId);
    const prescription = chartOf(patientId).find((entry) => entry.medicationRequestId === prescriptionId);
    if (!prescription) throw new GatewayError('GW_ERR_PRESCRIPTION_UNKNOWN', [prescriptionId, patientId]);
    if (prescription.status !== 'active')
      throw new GatewayError('GW_ERR_PRESCRIPTION_STATE', [prescriptionId, prescription.status]);
    return prescription;
  };

  app.get<Params & { Reply: MedicationChart }, RoleConfig>(
    '/api/v1/patients/:patientId/medications',
    {
      schema: {
        tags: ['medications'],
        summary: "A patient's prescriptions, each with the doses given, held or refused",
        params: patientIdParams,
        response: { 200: medicationChartReply, ...errorReplies(400, ...signedIn, 404) },
      },
      config: readChart,
    },
    async (request) => {
      const { patientId } = request.params;
      patientOf(patientId);
      return { patientId, prescriptions: chartOf(patientId) };
    },
  );

  app.post<
    Params & { Body: { encounterId?: string } & Record<string, unknown>; Reply: Prescribed },
    RoleConfig
  >(
    '/api/v1/patients/:patientId/medications',
    {
      schema: {
        tags: ['medications'],
        summary: 'Prescribe a drug: dose, route, frequency (appends medication_prescribed)',
        params: patientIdParams,
        body: prescribeBody,
        response: { 201: prescribedReply, ...errorReplies(400, ...signedIn, 404, 422) },
      },
      config: writePrescriptions,
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const actor = requireActor(request);
      const { encounterId = patientOf(patientId).encounterId, ...prescription } = request.body;
      const prescriptionId = services.newId();
      const at = clock().toISOString();
      const data = {
        medicationRequestId: prescriptionId,
        ...(encounterId ? { encounterId } : {}),
        ...prescription,
        prescribedAt: at,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'medication_prescribed', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/medications',
        precondition: () => void patientOf(patientId),
      });
      return reply.code(201).send({ prescriptionId, ...appendedSummary(events) });
    },
  );

  app.post<
    PrescriptionParams & {
      Body: { status?: string; doseGiven?: Dose } & Record<string, unknown>;
      Reply: Administered;
    },
    RoleConfig
  >(
    '/api/v1/patients/:patientId/medications/:prescriptionId/administrations',
    {
      schema: {
        tags: ['medications'],
        summary: 'Record a dose given, held or refused (appends medication_administered)',
        params: prescriptionParams,
        body: administerBody,
        response: { 201: administeredReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: administerMedications,
    },
    async (request, reply) => {
      const { patientId, prescriptionId } = request.params;
      const actor = requireActor(request);
      const prescription = activePrescription(patientId, prescriptionId);
      const { status = 'given', doseGiven, ...rest } = request.body;
      const at = clock().toISOString();
      const administrationId = services.newId();
      const data = {
        administrationId,
        medicationRequestId: prescriptionId,
        drugName: prescription.drugName,
        status,
        ...(status === 'given' ? { doseGiven: doseGiven ?? prescription.dose } : {}),
        route: prescription.route,
        administeredAt: at,
        ...rest,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'medication_administered', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/medications/:prescriptionId/administrations',
        precondition: () => void activePrescription(patientId, prescriptionId),
      });
      return reply.code(201).send({ administrationId, ...appendedSummary(events) });
    },
  );

  app.post<
    PrescriptionParams & { Body: { reason: string; note?: string }; Reply: AppendedReply },
    RoleConfig
  >(
    '/api/v1/patients/:patientId/medications/:prescriptionId/discontinuation',
    {
      schema: {
        tags: ['medications'],
        summary: 'Stop a prescription (appends medication_discontinued)',
        params: prescriptionParams,
        body: discontinueBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: writePrescriptions,
    },
    async (request) => {
      const { patientId, prescriptionId } = request.params;
      const actor = requireActor(request);
      activePrescription(patientId, prescriptionId);
      const at = clock().toISOString();
      const data = { medicationRequestId: prescriptionId, ...request.body, discontinuedAt: at };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'medication_discontinued', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/medications/:prescriptionId/discontinuation',
        precondition: () => void activePrescription(patientId, prescriptionId),
      });
      return appendedSummary(events);
    },
  );
}
