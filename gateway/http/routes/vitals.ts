import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { vitalParameterSpecs, vitalParameters } from '../../events/schemas/vitals.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import { manualVitalsBody, patientIdParams } from '../schemas.ts';
import { optionalActor } from './patients.ts';

type Body = Record<string, number | boolean | string | undefined> & { measuredAt?: string };

/** Vital signs recorded by hand: the same event and the same critical-value rules as a device reading. */
export async function vitalsRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.post<{ Params: { patientId: string }; Body: Body }>(
    '/api/v1/patients/:patientId/vitals',
    { schema: { tags: ['vitals'], summary: 'Record vital signs by hand (values in the units described)', params: patientIdParams, body: manualVitalsBody } },
    async (request, reply) => {
      const { patientId } = request.params;
      const patient = services.projections.get<PatientDoc>('patients', patientId);
      if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const { measuredAt, supplementalOxygen, consciousness } = request.body;
      const data: Record<string, unknown> = {
        method: 'manual',
        ...(patient.bed ? { bed: patient.bed } : {}),
        measuredAt: measuredAt ?? services.clock().toISOString(),
        ...(supplementalOxygen !== undefined ? { supplementalOxygen } : {}),
        ...(consciousness !== undefined ? { consciousness } : {}),
      };
      for (const name of vitalParameters) {
        const value = request.body[name];
        if (typeof value === 'number') data[name] = { value, unit: vitalParameterSpecs[name].unit };
      }
      const events = await recordOrFail(services.recorder, {
        draft: draftFor(services, 'vital_signs_recorded', data, { patientId, at: data.measuredAt as string, ...optionalActor(request) }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/vitals',
      });
      return reply.code(201).send(appendedSummary(events));
    },
  );
}
