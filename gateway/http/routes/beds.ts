import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gatewayServices.ts';
import { BED_BOARD_DOC_ID, type BedBoardDoc, type BedHold } from '../../projections/beds.ts';
import { readChart, type RoleConfig } from '../../../kernel/roles/clinicalRoles.ts';
import type { Bed } from '../apiContract.ts';
import { bedBoardReply } from '../contract/beds.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';

/**
 * The bed board: every configured bed in configuration order with who holds
 * it (the beds read model), then any bed still held that the configuration
 * no longer lists, so no patient drops off the board when wards change.
 */
export async function bedRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Reply: Bed[] }, RoleConfig>(
    '/api/v1/beds',
    {
      schema: {
        tags: ['beds'],
        summary: 'Every bed of the configured wards: free, reserved (by an admission saga) or occupied',
        response: { 200: bedBoardReply, ...errorReplies(...signedIn) },
      },
      config: readChart,
    },
    async () => {
      const holds = services.projections.get<BedBoardDoc>('beds', BED_BOARD_DOC_ID)?.holds ?? [];
      const configured = services.admissions.wards.flatMap((ward) =>
        ward.beds.map((bed): Bed => {
          const hold = holds.find((candidate) => candidate.ward === ward.name && candidate.bed === bed);
          return hold ? viewOf(hold) : { ward: ward.name, bed, state: 'free' };
        }),
      );
      const unlisted = holds
        .filter((hold) => !configured.some((view) => view.ward === hold.ward && view.bed === hold.bed))
        .map(viewOf);
      return [...configured, ...unlisted];
    },
  );
}

function viewOf(hold: BedHold): Bed {
  const { ward, bed, state, patientId, encounterId, sagaId, expiresAt } = hold;
  return {
    ward,
    bed,
    state,
    patientId,
    ...(encounterId ? { encounterId } : {}),
    ...(sagaId ? { sagaId } : {}),
    ...(state === 'reserved' && expiresAt ? { expiresAt } : {}),
  };
}
