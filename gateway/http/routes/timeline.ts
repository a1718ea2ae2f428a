import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { specOf } from '../../../kernel/events/catalogue.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { rowToEvent } from '../../eventStore/eventLog.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import { mapPhiFields } from '../../../kernel/phi/fieldCipher.ts';
import type { PhiKeyring } from '../../../kernel/phi/phiKeyring.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { maskedPhi } from '../patientView.ts';
import type { Timeline, TimelineEvent } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { patientIdParams, timelineQuery, timelineReply } from '../contract/patients.ts';

/** Query values arrive as text: buildHttpApp turns type coercion off so that bodies are never coerced. */
interface TimelineQuery {
  limit?: string;
  beforeSeq?: string;
}

/**
 * A patient's events straight from the log, newest first: what happened, when,
 * and who did it, for the nurse's timeline. PHI fields stay masked.
 */
export async function timelineRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, keyring, db } = services;
  // instr() on the canonical bytes narrows the scan cheaply; json_extract() makes the match exact
  // (canonical JSON: sorted keys, no white space, events/canonical.ts).
  const page = db.prepare<
    [{ needle: string; patientId: string; beforeSeq: number; limit: number }],
    { seq: number; body: string; hash: Buffer }
  >(
    `SELECT seq, body, hash FROM events
     WHERE seq < @beforeSeq AND instr(body, @needle) > 0 AND json_extract(body, '$.patientId') = @patientId
     ORDER BY seq DESC LIMIT @limit`,
  );

  app.get<{ Params: { patientId: string }; Querystring: TimelineQuery; Reply: Timeline }>(
    '/api/v1/patients/:patientId/timeline',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['patients'],
        summary: "A patient's events from the log, newest first (national ID and phone masked)",
        params: patientIdParams,
        querystring: timelineQuery,
        response: { 200: timelineReply, ...errorReplies(400, ...signedIn, 404) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      if (!projections.get<PatientDoc>('patients', patientId))
        throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
      const limit = Number(request.query.limit ?? 100);
      const rows = page.all({
        needle: `"patientId":${JSON.stringify(patientId)}`,
        patientId,
        beforeSeq:
          request.query.beforeSeq === undefined ? Number.MAX_SAFE_INTEGER : Number(request.query.beforeSeq),
        limit,
      });
      const events = rows.map((row) => timelineEntry(rowToEvent(row), keyring));
      return { patientId, events, nextBeforeSeq: rows.length === limit ? rows.at(-1)!.seq : null };
    },
  );
}

/** An event as the timeline shows it: without the chain hash, its PHI fields masked. */
function timelineEntry(event: ClinicalEvent, keyring: PhiKeyring): TimelineEvent {
  const { hash: _hash, ...rest } = event;
  const fields = specOf(event.eventType)?.encryptedFields ?? [];
  return { ...rest, data: maskFields(event.data, fields, keyring) };
}

function maskFields<T extends Record<string, unknown>>(
  data: T,
  fields: readonly string[],
  keyring: PhiKeyring,
): T {
  return mapPhiFields(data, fields, (value, field) => maskedPhi(value, field, keyring));
}
