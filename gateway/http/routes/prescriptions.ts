import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { doseUnits } from '../../events/schemas/medication.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import { patientIdParams } from '../schemas.ts';

interface PrescriptionBody {
  medicationRequestId?: string;
  drugName: string;
  atcCode?: string;
  dose: { value: number; unit: string };
  route: string;
  frequency: string;
  instructions?: string;
  encounterId?: string;
}

/**
 * A prescription written at the clinic: medication_prescribed, which the hub's
 * CDS checks (interactions, allergies, dose) and answers with findings that
 * come back to this gateway's log (docs/cds.md). The data schema is the
 * catalogue's; the body is checked again there, field by field.
 */
export async function prescriptionRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.post<{ Params: { patientId: string }; Body: PrescriptionBody }>(
    '/api/v1/patients/:patientId/prescriptions',
    {
      config: { permission: 'prescriptions.write' },
      schema: {
        tags: ['patients'],
        summary: 'Prescribe a drug; the hub checks it (CDS) and its findings come back to the timeline',
        params: patientIdParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['drugName', 'dose', 'route', 'frequency'],
          properties: {
            medicationRequestId: { type: 'string', minLength: 1, maxLength: 64 },
            drugName: { type: 'string', minLength: 1, maxLength: 200 },
            atcCode: { type: 'string', maxLength: 7 },
            dose: {
              type: 'object',
              additionalProperties: false,
              required: ['value', 'unit'],
              properties: {
                value: { type: 'number', exclusiveMinimum: 0 },
                unit: { type: 'string', enum: doseUnits },
              },
            },
            route: {
              type: 'string',
              description: 'oral, intravenous ... (catalogue: medication_prescribed)',
            },
            frequency: {
              type: 'string',
              description: 'daily, bid, tid, qid, q8h, prn ... or other with instructions',
            },
            instructions: { type: 'string', maxLength: 500 },
            encounterId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const actor = requireActor(request);
      const medicationRequestId = request.body.medicationRequestId ?? services.newId();
      const draft = draftFor(
        services,
        'medication_prescribed',
        { ...request.body, medicationRequestId, prescribedAt: services.clock().toISOString() },
        { patientId, actor },
      );
      const events = await recordOrFail(services.recorder, {
        draft,
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/prescriptions',
        precondition: () => {
          if (!services.projections.get<PatientDoc>('patients', patientId))
            throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
        },
      });
      return reply.code(201).send({ medicationRequestId, ...appendedSummary(events) });
    },
  );
}
