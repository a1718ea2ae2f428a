/**
 * The ClinicalEvent envelope (the platform design: "Standard Event Structure"), plus the
 * fields the gateway adds (docs/architecture.md#the-event): gatewayId, seq,
 * recordedAt and hash.
 */
import type { JsonObject } from './json.ts';

/** What a caller hands to the log: everything but the fields the log assigns. */
export interface EventDraft {
  /** UUIDv7 made where the fact is first recorded; the one de-duplication key everywhere. */
  eventId: string;
  eventType: string;
  /** When the fact happened (device or user clock), ISO 8601. */
  timestamp: string;
  /** Schema version of `data`, "major.minor". */
  version: string;
  patientId?: string;
  patientMRN?: string;
  facilityId: string;
  tenantId: string;
  sudanState?: string;
  userId?: string;
  userName?: string;
  userRole?: string;
  data: JsonObject;
  metadata?: JsonObject;
  correlationId?: string;
  causationId?: string;
  /** Which service or device path published it, e.g. "gateway-device-ingest". */
  source: string;
  sourceVersion?: string;
}

/** An event as stored in a gateway's log. */
export interface ClinicalEvent extends EventDraft {
  gatewayId: string;
  /** Position in this gateway's log: 1, 2, 3 ... with no gaps. */
  seq: number;
  /** The gateway clock at append, ISO 8601. */
  recordedAt: string;
  /** Hex SHA-256 over the previous event's hash and this event's canonical bytes. */
  hash: string;
}

/** JSON Schema of the envelope; `data` is checked against the catalogue entry of `eventType`. */
export const envelopeSchema = {
  $id: 'nilecare:envelope',
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'eventType', 'timestamp', 'version', 'facilityId', 'tenantId', 'data', 'source'],
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    eventType: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 },
    timestamp: { type: 'string', format: 'date-time' },
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' },
    patientId: { type: 'string', minLength: 1, maxLength: 64 },
    patientMRN: { type: 'string', minLength: 1, maxLength: 64 },
    facilityId: { type: 'string', minLength: 1, maxLength: 64 },
    tenantId: { type: 'string', minLength: 1, maxLength: 64 },
    sudanState: { type: 'string', minLength: 1, maxLength: 64 },
    userId: { type: 'string', minLength: 1, maxLength: 64 },
    userName: { type: 'string', minLength: 1, maxLength: 128 },
    userRole: { type: 'string', minLength: 1, maxLength: 32 },
    data: { type: 'object' },
    metadata: { type: 'object' },
    correlationId: { type: 'string', minLength: 1, maxLength: 128 },
    causationId: { type: 'string', minLength: 1, maxLength: 128 },
    source: { type: 'string', minLength: 1, maxLength: 64 },
    sourceVersion: { type: 'string', minLength: 1, maxLength: 32 },
    gatewayId: { type: 'string', minLength: 1, maxLength: 64 },
    seq: { type: 'integer', minimum: 1 },
    recordedAt: { type: 'string', format: 'date-time' },
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;
