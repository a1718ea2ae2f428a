import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createRevealLimiter } from '../../auth/revealLimit.ts';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import { decryptField, isEncryptedField } from '../../../kernel/phi/fieldCipher.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { recordOrFail } from '../recordOrFail.ts';
import { revealReasonProblem } from '../revealReason.ts';
import type { NationalIdReply } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { nationalIdReply, patientIdParams, revealNationalIdBody } from '../contract/patients.ts';

const origin = 'POST /api/v1/patients/:patientId/national-id/reveal';

/**
 * A national ID in clear, for the person who needs it and says why
 * (docs/architecture.md#guarantee-8): the access is appended as
 * sudan_national_id_accessed, durably, before the ID leaves. Everywhere else
 * the API shows it masked (patientView.ts).
 */
export async function nationalIdRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const reveals = createRevealLimiter(services.clock);
  app.post<{ Params: { patientId: string }; Body: { reason: string }; Reply: NationalIdReply }>(
    '/api/v1/patients/:patientId/national-id/reveal',
    {
      config: { permission: 'nationalId.reveal' },
      schema: {
        tags: ['patients'],
        summary:
          "A patient's national ID in clear; appends sudan_national_id_accessed with who, why and when",
        params: patientIdParams,
        body: revealNationalIdBody,
        response: { 200: nationalIdReply, ...errorReplies(400, ...signedIn, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const reason = request.body.reason.trim();
      const problem = revealReasonProblem(reason);
      if (problem) throw new GatewayError('GW_ERR_REQUEST_INVALID', [problem]);
      // Taken before anything is awaited, so parallel requests are counted as they arrive.
      const waitSeconds = reveals.take(request.sessionUser!.userId);
      if (waitSeconds > 0) {
        reply.header('retry-after', String(waitSeconds));
        throw new GatewayError('GW_ERR_NATIONAL_ID_RATE_LIMITED', [waitSeconds]);
      }
      const patient = services.projections.get<PatientDoc>('patients', patientId);
      if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const stored = patient.sudanNationalId;
      if (!stored) throw new GatewayError('GW_ERR_NATIONAL_ID_MISSING', [patientId]);
      // Decrypted first, kept in memory: a key problem refuses the request before anything is recorded.
      const nationalId = isEncryptedField(stored)
        ? decryptField(stored, 'sudanNationalId', services.keyring)
        : stored;
      const at = services.clock().toISOString();
      const draft = draftFor(
        services,
        'sudan_national_id_accessed',
        { accessReason: reason, accessedAt: at, ipAddress: clientAddress(request.ip), requiresAudit: true },
        { patientId, actor: requireActor(request), at },
      );
      // The catalogue's publishers of this type are the audit and compliance services (sudan.ts).
      await recordOrFail(services.recorder, {
        draft: { ...draft, source: 'audit-service' },
        channel: 'http',
        origin,
      });
      return { nationalId };
    },
  );
}

/** The reader's address as the event's schema takes it: an IPv4-mapped IPv6 address as plain IPv4. */
function clientAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  return isIP(address) ? address : '0.0.0.0';
}
