import type { EventDraft } from '../../kernel/events/envelope.ts';
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
  const { facility } = services;
  return {
    eventId: services.newId(),
    eventType,
    timestamp: context.at ?? services.clock().toISOString(),
    version: '1.0',
    ...(context.patientId ? { patientId: context.patientId } : {}),
    facilityId: facility.facilityId,
    tenantId: facility.tenantId,
    ...(facility.sudanState ? { sudanState: facility.sudanState } : {}),
    ...(context.actor ?? {}),
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    source: gatewaySources.clinicalApi,
    data: data as EventDraft['data'],
  };
}
