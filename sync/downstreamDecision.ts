import type { IHeaders } from 'kafkajs';
import type { EventDraft } from '../kernel/events/envelope.ts';

/** What the gateway does with one record of the downstream topic. */
export type DownstreamDecision =
  | { kind: 'append'; draft: EventDraft }
  /** Another gateway's record sharing the partition. */
  | { kind: 'not_ours' }
  | { kind: 'refused'; reason: string }
  | { kind: 'duplicate' };

const hubSourcePrefix = 'nilecare:hub:';

function header(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

/**
 * Whether a downstream record is for this gateway and is a hub event it can
 * append: keyed by this gatewayId, sent by a hub service (ce_source), a JSON
 * object that names no chain position (the gateway's log gives it one). The
 * event's content is checked again by the recorder against the catalogue.
 */
export function decideDownstream(
  record: { key: string | null; value: Buffer | null; headers: IHeaders },
  gatewayId: string,
): DownstreamDecision {
  if (record.key !== gatewayId) return { kind: 'not_ours' };
  if (!header(record.headers, 'ce_source')?.startsWith(hubSourcePrefix))
    return { kind: 'refused', reason: 'ce_source is not a hub service' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value?.toString('utf8') ?? '');
  } catch {
    return { kind: 'refused', reason: 'value is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { kind: 'refused', reason: 'value is not a JSON object' };
  const draft = parsed as Record<string, unknown>;
  if ('seq' in draft || 'hash' in draft || 'gatewayId' in draft)
    return { kind: 'refused', reason: 'a hub event names no chain position' };
  return { kind: 'append', draft: draft as unknown as EventDraft };
}
