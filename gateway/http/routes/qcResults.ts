import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { LabQcResultsDoc } from '../../projections/labQcResults.ts';
import type { QcResultList } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { deviceIdParams, qcResultListReply } from '../contract/qcResults.ts';

/**
 * An analyzer's quality-control runs, for the technicians who must act on a
 * failed control: never on a patient's chart (docs/devices.md#quality-control-results).
 */
export async function qcResultRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Params: { deviceId: string }; Reply: QcResultList }>(
    '/api/v1/devices/:deviceId/qc-results',
    {
      config: { permission: 'devices.read' },
      schema: {
        tags: ['devices'],
        summary: "An analyzer's quality-control results, newest first, with its coded comments",
        params: deviceIdParams,
        response: { 200: qcResultListReply, ...errorReplies(400, ...signedIn, 404) },
      },
    },
    async (request) => {
      const { deviceId } = request.params;
      if (!services.registry.get(deviceId)) throw new GatewayError('GW_ERR_DEVICE_UNKNOWN', [deviceId]);
      const results = services.projections.get<LabQcResultsDoc>('labQcResults', deviceId)?.results ?? [];
      return { deviceId, results };
    },
  );
}
