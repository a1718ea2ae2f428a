import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import { BED_BOARD_DOC_ID, type BedBoardDoc } from '../../projections/beds.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { chooseBed } from '../../sagas/bedAvailability.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AdmissionReply, AppendedReply } from '../apiContract.ts';
import { admissionReply, admitBody, dischargeBody, transferBody } from '../contract/encounters.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import { admissionOutcome } from './admissions.ts';
import { admitPatients, type RoleConfig } from '../../../kernel/roles/clinicalRoles.ts';
import { optionalActor } from './patients.ts';

type Params = { Params: { patientId: string } };

/**
 * Admit (through the admission saga, sagas/), transfer and discharge; transfer
 * and discharge are each a small set of events recorded together or not at all.
 */
export async function encounterRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;
  const bedBoard = () => projections.get<BedBoardDoc>('beds', BED_BOARD_DOC_ID);

  function requirePatient(patientId: string, expect: 'admitted' | 'not admitted'): PatientDoc {
    const patient = projections.get<PatientDoc>('patients', patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    if (expect === 'admitted' && patient.status !== 'admitted')
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [patientId, 'is not admitted']);
    if (expect === 'not admitted' && patient.status === 'admitted')
      throw new GatewayError('GW_ERR_ENCOUNTER_STATE', [
        patientId,
        `is already admitted (encounter ${patient.encounterId})`,
      ]);
    return patient;
  }

  app.post<
    Params & {
      Body: {
        ward: string;
        bed?: string;
        reason?: string;
        encounterClass?: string;
        attendingPhysician?: string;
      };
      Reply: AdmissionReply;
    },
    RoleConfig
  >(
    '/api/v1/patients/:patientId/admissions',
    {
      schema: {
        tags: ['encounters'],
        summary:
          'Admit through the admission saga: reserve a bed (the one given or the first free one), create the encounter, notify the care team; rolled back if a step fails',
        description:
          '201 once admitted. 409 GW_ERR_BED_UNAVAILABLE / GW_ERR_WARD_FULL when no bed can be held (nothing recorded); 502 GW_ERR_ADMISSION_FAILED when a later step failed and the admission was rolled back (details: sagaId, failedStep, reason, compensations). See docs/admission-saga.md.',
        params: patientIdParams,
        body: admitBody,
        response: { 201: admissionReply, ...errorReplies(400, ...signedIn, 404, 409, 422, 502) },
      },
      config: admitPatients,
    },
    async (request, reply) => {
      const { patientId } = request.params;
      requirePatient(patientId, 'not admitted');
      const { ward, bed, reason, encounterClass = 'inpatient', attendingPhysician } = request.body;
      const saga = await services.admissions.admit({
        patientId,
        ward,
        ...(bed ? { bed } : {}),
        ...(reason ? { reason } : {}),
        encounterClass,
        ...(attendingPhysician ? { attendingPhysician } : {}),
        // Every step the saga records names the user who admitted.
        actor: requireActor(request),
      });
      return reply.code(201).send(admissionOutcome(saga));
    },
  );

  app.post<Params & { Body: { toWard: string; toBed?: string; reason?: string }; Reply: AppendedReply }>(
    '/api/v1/patients/:patientId/transfers',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['encounters'],
        summary: 'Move an admitted patient to another ward or bed',
        params: patientIdParams,
        body: transferBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const patient = requirePatient(patientId, 'admitted');
      // The bed board follows the patient: the bed asked for must be free (or the first free one is taken).
      const target = { ward: request.body.toWard, bed: request.body.toBed };
      const toBed = chooseBed(services.admissions.wards, bedBoard(), target, { patientId });
      const data = {
        encounterId: patient.encounterId!,
        ...(patient.ward ? { fromWard: patient.ward } : {}),
        ...(patient.bed ? { fromBed: patient.bed } : {}),
        ...request.body,
        toBed,
        transferredAt: clock().toISOString(),
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'patient_transferred', data, {
          patientId,
          correlationId: patient.encounterId!,
          ...optionalActor(request),
        }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/transfers',
        precondition: () => {
          requirePatient(patientId, 'admitted');
          chooseBed(services.admissions.wards, bedBoard(), { ward: data.toWard, bed: toBed }, { patientId });
        },
      });
      return appendedSummary(events);
    },
  );

  app.post<Params & { Body: { disposition: string; summary?: string }; Reply: AppendedReply }>(
    '/api/v1/patients/:patientId/discharge',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['encounters'],
        summary: 'Discharge: patient_discharged then encounter_closed',
        params: patientIdParams,
        body: dischargeBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const patient = requirePatient(patientId, 'admitted');
      const encounterId = patient.encounterId!;
      const at = clock().toISOString();
      const context = { patientId, correlationId: encounterId, at, ...optionalActor(request) };
      const events = await recordOrFail(recorder, {
        draft: draftFor(
          services,
          'patient_discharged',
          { encounterId, ...request.body, dischargedAt: at },
          context,
        ),
        andThen: [
          draftFor(
            services,
            'encounter_closed',
            { encounterId, reason: 'discharged', closedAt: at },
            context,
          ),
        ],
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/discharge',
        precondition: () => void requirePatient(patientId, 'admitted'),
      });
      return appendedSummary(events);
    },
  );
}
