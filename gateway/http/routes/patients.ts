import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { EncounterDoc } from '../../projections/encounters.ts';
import type { LatestVitalsDoc } from '../../projections/latestVitals.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { patientView } from '../patientView.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AppendedReply, PatientChart, PatientList, PatientRegistered } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import {
  patientChartReply,
  patientIdParams,
  patientListReply,
  patientRegisteredReply,
  registerPatientBody,
  updatePatientBody,
} from '../contract/patients.ts';
import { vitalsView } from '../vitalsView.ts';
import { spo2ScaleOfPatient } from '../../projections/news2Scale.ts';

type RegisterBody = { patientId?: string; patientMRN?: string } & Record<string, unknown>;

/** Register, update, list and read patients (the chart comes from the read models). */
export async function patientRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, keyring, clock } = services;
  const patientOf = (patientId: string) => projections.get<PatientDoc>('patients', patientId);

  app.get<{ Reply: PatientList }>(
    '/api/v1/patients',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['patients'],
        summary: 'List patients (national ID and phone masked)',
        response: { 200: patientListReply, ...errorReplies(...signedIn) },
      },
    },
    async () => ({
      patients: projections.all<PatientDoc>('patients').map((doc) => patientView(doc, keyring)),
    }),
  );

  app.post<{ Body: RegisterBody; Reply: PatientRegistered }>(
    '/api/v1/patients',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['patients'],
        summary: 'Register a patient (appends patient_registered)',
        body: registerPatientBody,
        response: { 201: patientRegisteredReply, ...errorReplies(400, ...signedIn, 409, 422) },
      },
    },
    async (request, reply) => {
      const { patientId: requested, patientMRN, ...demographics } = request.body;
      const patientId = requested ?? services.newId();
      const at = clock().toISOString();
      const draft = draftFor(
        services,
        'patient_registered',
        { ...demographics, registeredAt: at },
        { patientId, ...optionalActor(request) },
      );
      const events = await recordOrFail(recorder, {
        draft: patientMRN ? { ...draft, patientMRN } : draft,
        channel: 'http',
        origin: 'POST /api/v1/patients',
        precondition: () => {
          if (patientOf(patientId)) throw new GatewayError('GW_ERR_PATIENT_EXISTS', [patientId]);
        },
      });
      return reply.code(201).send({ patientId, ...appendedSummary(events) });
    },
  );

  app.get<{ Params: { patientId: string }; Reply: PatientChart }>(
    '/api/v1/patients/:patientId',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['patients'],
        summary: 'A patient chart: demographics, encounters, latest vitals, alerts',
        params: patientIdParams,
        response: { 200: patientChartReply, ...errorReplies(400, ...signedIn, 404) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const doc = patientOf(patientId);
      if (!doc) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const vitals = projections.get<LatestVitalsDoc>('latestVitals', patientId);
      return {
        patient: patientView(doc, keyring),
        encounters: projections
          .all<EncounterDoc>('encounters')
          .filter((encounter) => encounter.patientId === patientId),
        latestVitals: vitals
          ? vitalsView(
              vitals,
              clock(),
              services.options.staleAfterSeconds,
              spo2ScaleOfPatient((name, docId) => projections.get(name, docId), patientId),
            )
          : null,
        alerts: services.alerts.ofPatient(patientId).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
      };
    },
  );

  app.patch<{ Params: { patientId: string }; Body: Record<string, unknown>; Reply: AppendedReply }>(
    '/api/v1/patients/:patientId',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['patients'],
        summary: 'Update demographics (appends patient_updated with the changed fields)',
        params: patientIdParams,
        body: updatePatientBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 422) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const draft = draftFor(
        services,
        'patient_updated',
        { changes: request.body, updatedAt: clock().toISOString() },
        { patientId, ...optionalActor(request) },
      );
      const events = await recordOrFail(recorder, {
        draft,
        channel: 'http',
        origin: 'PATCH /api/v1/patients/:patientId',
        precondition: () => {
          if (!patientOf(patientId)) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
        },
      });
      return appendedSummary(events);
    },
  );
}

/** The signed-in user as a draft's actor (kept for the routes written before sessions: every route now has one). */
export function optionalActor(request: Parameters<typeof requireActor>[0]) {
  return { actor: requireActor(request) };
}
