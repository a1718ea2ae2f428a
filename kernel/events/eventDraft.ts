/**
 * The one envelope factory: every event any side records starts here, so the
 * `version` of its `data` is always the catalogue's (never a literal at the
 * call site) and the facility fields are stamped the same way everywhere.
 */
import { specOf } from './catalogue.ts';
import type { EventDraft } from './envelope.ts';
import type { JsonObject } from './json.ts';

/** The facility an event is recorded at: its id, tenant and, in Sudan, state. */
export interface FacilityContext {
  facilityId: string;
  tenantId: string;
  sudanState?: string;
}

/** The facility an event was recorded at: where an event that follows from it is recorded too. */
export function facilityOf(
  event: Pick<EventDraft, 'facilityId' | 'tenantId' | 'sudanState'>,
): FacilityContext {
  return {
    facilityId: event.facilityId,
    tenantId: event.tenantId,
    ...(event.sudanState ? { sudanState: event.sudanState } : {}),
  };
}

/** What a caller says about a new event besides its `data`; `version` and the facility fields come from here. */
export interface DraftStamp {
  eventId: string;
  eventType: string;
  /** When the fact happened, ISO 8601. */
  timestamp: string;
  facility: FacilityContext;
  /** Which service or device path publishes it (eventTypeSpec.ts `gatewaySources`, or a hub service's name). */
  source: string;
  patientId?: string | undefined;
  patientMRN?: string | undefined;
  userId?: string | undefined;
  userName?: string | undefined;
  userRole?: string | undefined;
  correlationId?: string | undefined;
  causationId?: string | undefined;
  /** What a driver knows of the message besides `data` (an HL7 control id, an ASTM specimen id). */
  metadata?: JsonObject | undefined;
  /** The publishing service's release (a hub service's package version). */
  sourceVersion?: string | undefined;
}

/** The catalogue's current `data` schema version of `eventType`; an unknown type is a programming error. */
export function catalogueVersion(eventType: string): string {
  const spec = specOf(eventType);
  if (!spec)
    throw new Error(`event type "${eventType}" is not in the event catalogue (kernel/events/catalogue.ts)`);
  return spec.version;
}

/** The envelope of a new event without its `data`; optional fields are left out when not given. */
export function draftEnvelope(stamp: DraftStamp): Omit<EventDraft, 'data'> {
  const { facility } = stamp;
  return {
    eventId: stamp.eventId,
    eventType: stamp.eventType,
    timestamp: stamp.timestamp,
    version: catalogueVersion(stamp.eventType),
    ...(stamp.patientId ? { patientId: stamp.patientId } : {}),
    ...(stamp.patientMRN ? { patientMRN: stamp.patientMRN } : {}),
    facilityId: facility.facilityId,
    tenantId: facility.tenantId,
    ...(facility.sudanState ? { sudanState: facility.sudanState } : {}),
    ...(stamp.userId ? { userId: stamp.userId } : {}),
    ...(stamp.userName ? { userName: stamp.userName } : {}),
    ...(stamp.userRole ? { userRole: stamp.userRole } : {}),
    ...(stamp.correlationId ? { correlationId: stamp.correlationId } : {}),
    ...(stamp.causationId ? { causationId: stamp.causationId } : {}),
    ...(stamp.metadata ? { metadata: stamp.metadata } : {}),
    source: stamp.source,
    ...(stamp.sourceVersion ? { sourceVersion: stamp.sourceVersion } : {}),
  };
}

/** A whole draft: the envelope of `stamp` with `data`. */
export function eventDraft(stamp: DraftStamp, data: JsonObject | Record<string, unknown>): EventDraft {
  return { ...draftEnvelope(stamp), data: data as JsonObject };
}
