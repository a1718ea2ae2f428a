import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { AlertDoc } from '../../projections/alerts.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type { AcknowledgeReply, AlertList } from '../apiContract.ts';
import {
  acknowledgeBody,
  acknowledgeReply,
  alertIdParams,
  alertListReply,
  alertsQuery,
} from '../contract/alerts.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';

const priorityRank = { high: 0, medium: 1 } as const;

/** Alerts: the nurse's list (highest priority, then newest, first) and acknowledgement. */
export async function alertRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock } = services;

  app.get<{
    Querystring: { status?: 'open' | 'active' | 'acknowledged' | 'resolved' | 'all'; patientId?: string };
    Reply: AlertList;
  }>(
    '/api/v1/alerts',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts; by default the open ones (active or acknowledged, not yet resolved)',
        querystring: alertsQuery,
        response: { 200: alertListReply, ...errorReplies(400, ...signedIn) },
      },
    },
    async (request) => {
      const { status = 'open', patientId } = request.query;
      const { alerts: indexed } = services;
      // The patient's alerts or the open ones come from an index; resolved and all scan the read model.
      const candidates =
        patientId !== undefined
          ? indexed.ofPatient(patientId)
          : status === 'open'
            ? indexed.open()
            : status === 'active' || status === 'acknowledged'
              ? indexed.withStatus(status)
              : projections.all<AlertDoc>('alerts');
      const alerts = candidates
        .filter((alert) =>
          status === 'all' ? true : status === 'open' ? alert.status !== 'resolved' : alert.status === status,
        )
        .filter((alert) => patientId === undefined || alert.patientId === patientId)
        .sort(
          (a, b) =>
            priorityRank[a.priority] - priorityRank[b.priority] || b.raisedAt.localeCompare(a.raisedAt),
        );
      return { alerts };
    },
  );

  app.post<{ Params: { alertId: string }; Body: { note?: string } | null; Reply: AcknowledgeReply }>(
    '/api/v1/alerts/:alertId/acknowledge',
    {
      config: { permission: 'alerts.acknowledge' },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an active alert; records who (the signed-in user) and when',
        params: alertIdParams,
        body: acknowledgeBody,
        response: { 200: acknowledgeReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
    },
    async (request) => {
      const { alertId } = request.params;
      const actor = requireActor(request);
      const alertOf = () => {
        const alert = projections.get<AlertDoc>('alerts', alertId);
        if (!alert) throw new GatewayError('GW_ERR_ALERT_UNKNOWN', [alertId]);
        if (alert.status !== 'active')
          throw new GatewayError('GW_ERR_ALERT_STATE', [alertId, `${alert.status}, not active`]);
        return alert;
      };
      const alert = alertOf();
      const note = request.body?.note;
      const data = { alertId, ...(note ? { note } : {}), acknowledgedAt: clock().toISOString() };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'alert_acknowledged', data, {
          ...(alert.patientId ? { patientId: alert.patientId } : {}),
          actor,
          correlationId: alertId,
        }),
        channel: 'http',
        origin: 'POST /api/v1/alerts/:alertId/acknowledge',
        precondition: () => void alertOf(),
      });
      // The alert as the acknowledgement left it (the read model is updated in the same commit).
      return { alert: projections.get<AlertDoc>('alerts', alertId) ?? alert, ...appendedSummary(events) };
    },
  );
}
