import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import { admitBody, dischargeBody, patientIdParams, transferBody } from '../schemas.ts';
import { optionalActor } from './patients.ts';

type Params = { Params: { patientId: string } };

/** Admit, transfer and discharge: each a small set of events recorded together or not at all. */
export async function encounterRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;

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
    }
  >(
    '/api/v1/patients/:patientId/admissions',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['encounters'],
        summary: 'Admit: encounter_created then patient_admitted',
        params: patientIdParams,
        body: admitBody,
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      requirePatient(patientId, 'not admitted');
      const { ward, bed, reason, encounterClass = 'inpatient', attendingPhysician } = request.body;
      const encounterId = services.newId();
      const at = clock().toISOString();
      const context = { patientId, correlationId: encounterId, at, ...optionalActor(request) };
      const place = { ward, ...(bed ? { bed } : {}), ...(reason ? { reason } : {}) };
      const events = await recordOrFail(recorder, {
        draft: draftFor(
          services,
          'encounter_created',
          { encounterId, encounterClass, ...place, startedAt: at },
          context,
        ),
        andThen: [
          draftFor(
            services,
            'patient_admitted',
            { encounterId, ...place, ...(attendingPhysician ? { attendingPhysician } : {}), admittedAt: at },
            context,
          ),
        ],
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/admissions',
        precondition: () => void requirePatient(patientId, 'not admitted'),
      });
      return reply.code(201).send({ encounterId, ...appendedSummary(events) });
    },
  );

  app.post<Params & { Body: { toWard: string; toBed?: string; reason?: string } }>(
    '/api/v1/patients/:patientId/transfers',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['encounters'],
        summary: 'Move an admitted patient to another ward or bed',
        params: patientIdParams,
        body: transferBody,
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const patient = requirePatient(patientId, 'admitted');
      const data = {
        encounterId: patient.encounterId!,
        ...(patient.ward ? { fromWard: patient.ward } : {}),
        ...(patient.bed ? { fromBed: patient.bed } : {}),
        ...request.body,
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
        precondition: () => void requirePatient(patientId, 'admitted'),
      });
      return appendedSummary(events);
    },
  );

  app.post<Params & { Body: { disposition: string; summary?: string } }>(
    '/api/v1/patients/:patientId/discharge',
    {
      config: { permission: 'patients.write' },
      schema: {
        tags: ['encounters'],
        summary: 'Discharge: patient_discharged then encounter_closed',
        params: patientIdParams,
        body: dischargeBody,
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
