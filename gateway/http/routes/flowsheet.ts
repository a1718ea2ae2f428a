import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { flowsheetGrid } from '../../flowsheet/flowsheetGrid.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { createTrendQuery } from '../../trends/trendQuery.ts';
import type { Flowsheet } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { type FlowsheetQuery, flowsheetQuery, flowsheetReply } from '../contract/flowsheet.ts';
import { patientIdParams } from '../contract/patients.ts';

/** A patient's observation grid (rows = parameters, columns = intervals), read from the per-minute vitals read model. */
export async function flowsheetRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const query = createTrendQuery(services.db);
  app.get<{
    Params: { patientId: string };
    Querystring: FlowsheetQuery;
    Reply: Flowsheet;
  }>(
    '/api/v1/patients/:patientId/flowsheet',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['vitals'],
        summary:
          "A patient's flowsheet: the charted value of each parameter per interval, its NEWS2 score and the total",
        params: patientIdParams,
        querystring: flowsheetQuery,
        response: { 200: flowsheetReply, ...errorReplies(400, ...signedIn, 404) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      if (!services.projections.get<PatientDoc>('patients', patientId))
        throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const hours = Number(request.query.hours ?? 24);
      const intervalMinutes = Number(request.query.interval ?? 60);
      const intervalMs = intervalMinutes * 60_000;
      // Columns on whole intervals (on the hour when hourly), the current one last.
      const to = new Date(Math.floor(services.clock().getTime() / intervalMs) * intervalMs + intervalMs);
      const from = new Date(to.getTime() - hours * 3_600_000);
      const { buckets, observations } = query(patientId, from, to, intervalMinutes * 60);
      const columnCount = Math.round((hours * 60) / intervalMinutes);
      return {
        patientId,
        from: from.toISOString(),
        to: to.toISOString(),
        intervalMinutes,
        ...flowsheetGrid(buckets, observations, from, intervalMinutes * 60, columnCount),
      };
    },
  );
}
