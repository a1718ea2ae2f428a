import type { IHeaders } from 'kafkajs';
import { canonicalJson } from '../gateway/events/canonical.ts';
import type { ClinicalEvent } from '../gateway/events/envelope.ts';
import { routeOf } from '../gateway/events/routing.ts';

/**
 * How a gateway event travels on Kafka (docs/wire-format.md): the CloudEvents
 * Kafka protocol binding in binary content mode. The record value is the
 * event itself as canonical JSON (with gatewayId, seq, recordedAt and hash, so
 * the hub can verify the chain); the key is the patient, else the facility.
 */
export const cloudEventsSpecVersion = '1.0';

export interface WireRecord {
  topic: string;
  key: string;
  value: string;
  headers: IHeaders;
}

export function toWireRecord(event: ClinicalEvent): WireRecord {
  const { topic, key } = routeOf(event);
  return {
    topic,
    key,
    value: canonicalJson(event),
    headers: {
      ce_specversion: cloudEventsSpecVersion,
      ce_id: event.eventId,
      ce_type: event.eventType,
      ce_source: `nilecare:gateway:${event.gatewayId}`,
      ce_time: event.timestamp,
      'content-type': 'application/json',
      ce_dataschemaversion: event.version,
      gatewayId: event.gatewayId,
      seq: String(event.seq),
    },
  };
}

export type WireDecodeResult =
  | { ok: true; event: ClinicalEvent; headers: Record<string, string> }
  | { ok: false; reason: string };

/** The hub side: a record back to an event, checking the headers agree with the body. */
export function fromWireRecord(value: Buffer | null, headers: IHeaders | undefined): WireDecodeResult {
  const flat: Record<string, string> = {};
  for (const [name, header] of Object.entries(headers ?? {})) {
    if (header !== undefined) flat[name] = Array.isArray(header) ? String(header[0]) : String(header);
  }
  if (!value) return { ok: false, reason: 'record has no value' };
  let event: ClinicalEvent;
  try {
    event = JSON.parse(value.toString('utf8')) as ClinicalEvent;
  } catch {
    return { ok: false, reason: 'record value is not JSON' };
  }
  if (flat.ce_id !== event.eventId)
    return { ok: false, reason: 'header ce_id differs from the eventId in the value' };
  if (flat.seq !== String(event.seq) || flat.gatewayId !== event.gatewayId)
    return { ok: false, reason: 'headers gatewayId/seq differ from the value' };
  return { ok: true, event, headers: flat };
}
