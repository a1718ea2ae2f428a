import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { AlertDoc } from '../../projections/alerts.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { createTrendQuery } from '../../trends/trendQuery.ts';
import { trendSeries } from '../../trends/trendSeries.ts';
import type { VitalsTrend } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { patientIdParams } from '../contract/patients.ts';
import { type TrendWindow, windowBounds } from '../contract/trendWindows.ts';
import { vitalsTrendQuery, vitalsTrendReply } from '../contract/vitalsTrend.ts';

/** A patient's vital signs over 1 h to 72 h, downsampled by the gateway, for the chart's trend graphs. */
export async function vitalsTrendRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const query = createTrendQuery(services.db);
  app.get<{ Params: { patientId: string }; Querystring: { window?: TrendWindow }; Reply: VitalsTrend }>(
    '/api/v1/patients/:patientId/vitals/trend',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['vitals'],
        summary:
          "A patient's vital signs over a window, min/max/last per bucket, NEWS2 per bucket and the alerts",
        params: patientIdParams,
        querystring: vitalsTrendQuery,
        response: { 200: vitalsTrendReply, ...errorReplies(400, ...signedIn, 404) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      if (!services.projections.get<PatientDoc>('patients', patientId))
        throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const window = request.query.window ?? '8h';
      const { from, to, bucketSeconds } = windowBounds(window, services.clock());
      const { buckets, observations } = query(patientId, from, to, bucketSeconds);
      return {
        patientId,
        window,
        from: from.toISOString(),
        to: to.toISOString(),
        bucketSeconds,
        ...trendSeries(buckets, observations, from, bucketSeconds),
        alerts: alertsDuring(services.alerts.ofPatient(patientId), from),
      };
    },
  );
}

/** Alerts raised in the window or still open at its start, oldest first. */
function alertsDuring(alerts: readonly AlertDoc[], from: Date): VitalsTrend['alerts'] {
  const start = from.toISOString();
  return alerts
    .filter(
      (alert) =>
        Date.parse(alert.raisedAt) >= from.getTime() || !alert.resolvedAt || alert.resolvedAt >= start,
    )
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt))
    .map(({ alertId, parameter, priority, value, raisedAt, resolvedAt, status }) => ({
      alertId,
      parameter,
      priority,
      ...(value !== undefined ? { value } : {}),
      raisedAt,
      ...(resolvedAt ? { resolvedAt } : {}),
      status,
    }));
}
