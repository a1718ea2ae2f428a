import type { IHeaders } from 'kafkajs';
import { canonicalJson } from '../events/canonical.ts';
import { type ClinicalEvent, envelopeSchema } from '../events/envelope.ts';
import { routeOf } from '../events/routing.ts';

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
  return wireRecordWithValue(event, canonicalJson(event));
}

/**
 * The same record as `toWireRecord(event)`, built from the body the log
 * stored (canonical JSON of the event without its hash): the hash is spliced
 * in at its sorted place and only the members after it are serialised
 * again, so the sync engine does not re-serialise `data` for every event it
 * sends. A body that is not what canonicalJson gives falls back to it.
 */
export function toWireRecordFromStored(event: ClinicalEvent, storedBody: string): WireRecord {
  const members = event as unknown as Record<string, unknown>;
  let tail = '';
  for (const name of envelopeMembersAfterHash) {
    const member = members[name];
    if (member === undefined) continue;
    const text = typeof member === 'object' ? canonicalJson(member) : JSON.stringify(member);
    tail += `${tail === '' ? '' : ','}"${name}":${text}`;
  }
  tail += '}';
  const canonical = tail.length > 1 && storedBody.endsWith(`,${tail}`) && !hasUndeclaredMembers(members);
  const value = canonical
    ? `${storedBody.slice(0, -tail.length)}"hash":${JSON.stringify(event.hash)},${tail}`
    : canonicalJson(event);
  return wireRecordWithValue(event, value);
}

/** The envelope's members that sort after "hash" (envelope.ts), in canonical order. */
const envelopeMembersAfterHash = Object.keys(envelopeSchema.properties)
  .filter((name) => name > 'hash')
  .sort();
const envelopeMembers = new Set(Object.keys(envelopeSchema.properties));

/** A member the envelope does not declare (never in a validated event): serialise the sure way. */
function hasUndeclaredMembers(members: Record<string, unknown>): boolean {
  for (const name in members) if (!envelopeMembers.has(name)) return true;
  return false;
}

function wireRecordWithValue(event: ClinicalEvent, value: string): WireRecord {
  const { topic, key } = routeOf(event);
  return {
    topic,
    key,
    value,
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'record value is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'record value is not a JSON object' };
  }
  const event = parsed as ClinicalEvent;
  if (flat.ce_id !== event.eventId)
    return { ok: false, reason: 'header ce_id differs from the eventId in the value' };
  if (flat.seq !== String(event.seq) || flat.gatewayId !== event.gatewayId)
    return { ok: false, reason: 'headers gatewayId/seq differ from the value' };
  return { ok: true, event, headers: flat };
}

/**
 * Headers a dead-lettered record carries besides its own: the names the hub's
 * dead-letter copies use (hub/services/deadLetterRecord.ts), so one tool reads both.
 */
export const deadLetterNoticeHeaders = {
  reason: 'x-nilecare-reason',
  reasonCode: 'x-nilecare-reason-code',
  originalTopic: 'x-nilecare-original-topic',
  service: 'x-nilecare-service',
  deadLetteredAt: 'x-nilecare-dead-lettered-at',
} as const;

/**
 * What the gateway tells the hub's dead-letter topic when Kafka refused an
 * event for good (too large, say): the event's own headers and the reason,
 * and as value only the envelope facts the hub needs to explain the hole in
 * this gateway's seq (eventId, eventType, seq, hash, size) — never `data`,
 * so no PHI. The event itself stays in the gateway's log and its local
 * dead-letter table (docs/sync.md).
 */
export function toDeadLetterNotice(
  event: ClinicalEvent,
  refusal: { code: string; message: string; recordBytes: number },
  where: { topic: string; originalTopic: string; at: Date },
): WireRecord {
  const original = toWireRecord(event);
  return {
    topic: where.topic,
    key: event.gatewayId,
    value: canonicalJson({
      eventId: event.eventId,
      eventType: event.eventType,
      gatewayId: event.gatewayId,
      seq: event.seq,
      hash: event.hash,
      recordedAt: event.recordedAt,
      recordBytes: refusal.recordBytes,
    }),
    headers: {
      ...original.headers,
      [deadLetterNoticeHeaders.reason]: refusal.message.slice(0, 1000),
      [deadLetterNoticeHeaders.reasonCode]: refusal.code,
      [deadLetterNoticeHeaders.originalTopic]: where.originalTopic,
      [deadLetterNoticeHeaders.service]: 'gateway-sync',
      [deadLetterNoticeHeaders.deadLetteredAt]: where.at.toISOString(),
    },
  };
}
