import { createHash } from 'node:crypto';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { validateDraft } from '../../kernel/events/validateEvent.ts';
import { fromWireRecord } from '../../kernel/kafka/wireFormat.ts';
import { hubMessage } from '../errors.ts';
import { headerStrings } from '../services/deadLetterRecord.ts';
import type { RejectionReason, SourceRecord } from '../services/hubService.ts';
import { mayPublish, type PublisherPolicy, publishersOf } from './publisherPolicy.ts';

/** `ce_source` of events the hub's own services publish (docs/hub.md). */
export const hubSourcePrefix = 'nilecare:hub:';

export type DecodedRecord =
  /** A gateway's event: it names its chain position. */
  | { kind: 'gateway'; event: ClinicalEvent; digest: string }
  /** An event a hub service published (no chain): only its content is checked. */
  | { kind: 'hub'; draft: Record<string, unknown>; digest: string }
  | { kind: 'refused'; reason: RejectionReason; digest: string; partial?: Partial<ClinicalEvent> };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hex64 = /^[0-9a-f]{64}$/;

/** SHA-256 of the record value: tells a second copy of an event from a different one. */
export function valueDigest(value: Buffer | null): string {
  return createHash('sha256')
    .update(value ?? Buffer.alloc(0))
    .digest('hex');
}

function refused(message: string, digest: string, partial?: Partial<ClinicalEvent>): DecodedRecord {
  return {
    kind: 'refused',
    reason: {
      code: 'HUB_ERR_RECORD_UNREADABLE',
      message: hubMessage('HUB_ERR_RECORD_UNREADABLE', [message]),
    },
    digest,
    ...(partial ? { partial } : {}),
  };
}

/** The record back to an event (kernel/kafka/wireFormat.ts), and whether it is a gateway's or the hub's. */
export function decodeRecord(record: Pick<SourceRecord, 'value' | 'headers'>): DecodedRecord {
  const digest = valueDigest(record.value);
  const headers = headerStrings(record.headers);
  const parsed = parseObject(record.value);
  // A hub event is in no chain: one whose value names a gateway is checked as a gateway's.
  if (
    headers.gatewayId === undefined &&
    headers.ce_source?.startsWith(hubSourcePrefix) &&
    !parsed?.gatewayId
  ) {
    return parsed
      ? { kind: 'hub', draft: parsed, digest }
      : refused('record value is not a JSON object', digest);
  }
  if (parsed === undefined) {
    // fromWireRecord reads `null` or `5` as an event and then fails on its fields.
    return refused(record.value ? 'record value is not a JSON object' : 'record has no value', digest);
  }
  const decoded = fromWireRecord(record.value, record.headers);
  if (!decoded.ok) return refused(decoded.reason, digest, parsed);
  const position = chainPositionProblem(decoded.event);
  if (position) return refused(position, digest, decoded.event);
  return { kind: 'gateway', event: decoded.event, digest };
}

function parseObject(value: Buffer | null): Record<string, unknown> | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What a gateway event needs to take its place in the chain; undefined when it has it all. */
export function chainPositionProblem(event: Partial<ClinicalEvent>): string | undefined {
  if (typeof event.eventId !== 'string' || !uuid.test(event.eventId)) return 'eventId is not a UUID';
  if (typeof event.gatewayId !== 'string' || event.gatewayId.length === 0 || event.gatewayId.length > 64)
    return 'gatewayId is missing or longer than 64 characters';
  if (typeof event.seq !== 'number' || !Number.isSafeInteger(event.seq) || event.seq < 1)
    return 'seq is not a positive whole number';
  if (typeof event.hash !== 'string' || !hex64.test(event.hash)) return 'hash is not 64 hex digits';
  if (typeof event.recordedAt !== 'string') return 'recordedAt is missing';
  return undefined;
}

/**
 * The catalogue's verdict on an event (schema of the envelope and of `data`,
 * version, subject) and then the publisher policy: undefined when it passes.
 */
export function contentProblem(
  event: Record<string, unknown>,
  policy: PublisherPolicy,
): RejectionReason | undefined {
  const checked = validateDraft(event);
  if (!checked.ok) {
    const issues = checked.issues.map((issue) => `${issue.message} (rule: ${issue.rule})`).join('; ');
    return { code: 'HUB_ERR_EVENT_INVALID', message: hubMessage('HUB_ERR_EVENT_INVALID', [issues]) };
  }
  const { eventType, source } = checked.draft;
  if (!mayPublish(policy, eventType, source)) {
    return {
      code: 'HUB_ERR_PUBLISHER_UNAUTHORISED',
      message: hubMessage('HUB_ERR_PUBLISHER_UNAUTHORISED', [
        source,
        eventType,
        publishersOf(policy, eventType).join(', ') || 'nobody',
      ]),
    };
  }
  return undefined;
}
