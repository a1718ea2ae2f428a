import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { createRecentNews2, recentHours } from '../../trends/recentNews2.ts';
import type { News2Trends } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { news2TrendsReply } from '../contract/news2Trends.ts';

/** Hours a board sparkline spans: a nursing shift. */
export const SPARKLINE_HOURS = 12;

/** Every admitted patient's NEWS2 of the last 12 hours in one reply, so the board asks once, not once per bed. */
export async function news2TrendRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const recentNews2 = createRecentNews2(services.db);
  app.get<{ Reply: News2Trends }>(
    '/api/v1/news2/trends',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['vitals'],
        summary: "Every admitted patient's NEWS2 over the last 12 hours, the worst of each hour",
        response: { 200: news2TrendsReply, ...errorReplies(...signedIn) },
      },
    },
    async () => {
      const now = services.clock();
      const admitted = services.projections
        .all<PatientDoc>('patients')
        .filter((patient) => patient.status === 'admitted');
      const patients = admitted.map((patient) => ({
        patientId: patient.patientId,
        points: recentNews2(patient.patientId, now, SPARKLINE_HOURS).points,
      }));
      const { from, to } = recentHours(now, SPARKLINE_HOURS);
      return { from: from.toISOString(), to: to.toISOString(), patients };
    },
  );
}
