import type { EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { GatewayServices } from '../gatewayServices.ts';
import type { Actor } from './actor.ts';

/** A draft for an action taken through the API, stamped with facility, actor and a new id. */
export function draftFor(
  services: GatewayServices,
  eventType: string,
  data: Record<string, unknown>,
  context: { patientId?: string; actor?: Actor; correlationId?: string; at?: string },
): EventDraft {
  return eventDraft(
    {
      eventId: services.newId(),
      eventType,
      timestamp: context.at ?? services.clock().toISOString(),
      facility: services.facility,
      patientId: context.patientId,
      ...context.actor,
      correlationId: context.correlationId,
      source: gatewaySources.clinicalApi,
    },
    data,
  );
}
