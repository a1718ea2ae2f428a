import { deadLetterNoticeHeaders } from '../../kernel/kafka/wireFormat.ts';
import { headerStrings } from '../services/deadLetterRecord.ts';
import type { SourceRecord } from '../services/hubService.ts';

/** `x-nilecare-service` of a gateway's own dead-letter notice (sync/deadLettering.ts). */
export const gatewayNoticeService = 'gateway-sync';

/** What a gateway says about an event Kafka refused for good: enough to explain its hole. */
export interface DeadLetterNotice {
  gatewayId: string;
  seq: number;
  eventId: string;
  eventType: string;
  /** The refused event's chain hash: the next event's link is checked against it. */
  hash: string;
  recordedAt: string | null;
  reasonCode: string;
  reason: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hex64 = /^[0-9a-f]{64}$/;

/**
 * A record of the dead-letter topic read as a gateway's notice
 * (docs/wire-format.md, "Dead-letter notice"), or undefined: the hub's own
 * dead letters share the topic and are not notices, nor is anything that
 * does not carry a gateway id, a seq, an event id and a hash.
 */
export function parseDeadLetterNotice(record: SourceRecord): DeadLetterNotice | undefined {
  const headers = headerStrings(record.headers);
  if (headers[deadLetterNoticeHeaders.service] !== gatewayNoticeService || !record.value) return undefined;
  let value: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(record.value.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    value = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { gatewayId, seq, eventId, eventType, hash, recordedAt } = value;
  if (typeof gatewayId !== 'string' || gatewayId.length === 0 || gatewayId.length > 64) return undefined;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  if (typeof eventId !== 'string' || !uuid.test(eventId)) return undefined;
  if (typeof hash !== 'string' || !hex64.test(hash)) return undefined;
  return {
    gatewayId,
    seq,
    eventId,
    eventType: typeof eventType === 'string' ? eventType.slice(0, 100) : 'unknown',
    hash,
    recordedAt: typeof recordedAt === 'string' && !Number.isNaN(Date.parse(recordedAt)) ? recordedAt : null,
    reasonCode: (headers[deadLetterNoticeHeaders.reasonCode] ?? 'UNKNOWN').slice(0, 100),
    reason: (headers[deadLetterNoticeHeaders.reason] ?? '').slice(0, 1000),
  };
}
