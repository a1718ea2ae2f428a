import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { vitalParameterSpecs, vitalParameters } from '../../../kernel/events/schemas/vitals.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { summarize } from '../../recording/clinicalRecorder.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AppendedReply } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import { manualVitalsBody } from '../contract/vitals.ts';
import { optionalActor } from './patients.ts';

type Body = Record<string, number | boolean | string | undefined> & { measuredAt?: string };

/**
 * How far after the gateway clock a hand-entered measurement time may be, in
 * milliseconds (a tablet's clock drifts). A later one is a typing error, and
 * would hide every real reading measured before it from the chart's latest vitals.
 */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const origin = 'POST /api/v1/patients/:patientId/vitals';

/** Vital signs recorded by hand: the same event and the same critical-value rules as a device reading. */
export async function vitalsRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.post<{ Params: { patientId: string }; Body: Body; Reply: AppendedReply }>(
    '/api/v1/patients/:patientId/vitals',
    {
      config: { permission: 'vitals.write' },
      schema: {
        tags: ['vitals'],
        summary: 'Record vital signs by hand (values in the units described)',
        params: patientIdParams,
        body: manualVitalsBody,
        response: { 201: appendedReply, ...errorReplies(400, ...signedIn, 404, 422) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const patient = services.projections.get<PatientDoc>('patients', patientId);
      if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const { measuredAt, supplementalOxygen, consciousness } = request.body;
      const now = services.clock();
      if (measuredAt !== undefined && Date.parse(measuredAt) - now.getTime() > FUTURE_TOLERANCE_MS) {
        await refuseFutureTime(services, request.body, now);
      }
      const data: Record<string, unknown> = {
        method: 'manual',
        ...(patient.bed ? { bed: patient.bed } : {}),
        measuredAt: measuredAt ?? now.toISOString(),
        ...(supplementalOxygen !== undefined ? { supplementalOxygen } : {}),
        ...(consciousness !== undefined ? { consciousness } : {}),
      };
      for (const name of vitalParameters) {
        const value = request.body[name];
        if (typeof value === 'number') data[name] = { value, unit: vitalParameterSpecs[name].unit };
      }
      const events = await recordOrFail(services.recorder, {
        draft: draftFor(services, 'vital_signs_recorded', data, {
          patientId,
          at: data.measuredAt as string,
          ...optionalActor(request),
        }),
        channel: 'http',
        origin,
      });
      return reply.code(201).send(appendedSummary(events));
    },
  );
}

/** Quarantines the entry like any invalid body (docs/architecture.md#guarantee-7), then refuses it naming the field. */
async function refuseFutureTime(services: GatewayServices, body: Body, now: Date): Promise<never> {
  const field = 'body/measuredAt';
  const issues = [
    {
      field,
      rule: 'notAfterNow',
      message: `${field} is later than the gateway clock (${now.toISOString()}) by more than 5 minutes`,
    },
  ];
  const reason = summarize(issues);
  const outcome = await services.recorder.quarantine({
    channel: 'http',
    origin,
    reasonCode: 'GW_ERR_REQUEST_INVALID',
    reason,
    issues,
    raw: JSON.stringify(body),
  });
  const quarantineId = outcome.status === 'quarantined' ? outcome.quarantineId : undefined;
  throw new GatewayError('GW_ERR_REQUEST_INVALID', [reason], {
    issues,
    ...(quarantineId !== undefined ? { quarantineId } : {}),
  });
}
