import { canonicalJson } from '../../../kernel/events/canonical.ts';
import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { downstreamTopic } from '../../../kernel/kafka/kafkaTopics.ts';
import { cloudEventsSpecVersion } from '../../../kernel/kafka/wireFormat.ts';
import { hubSourcePrefix } from '../../ingestGuard/recordChecks.ts';
import type { OutgoingRecord } from '../hubService.ts';

/** Header naming the gateway a downstream record is for (also its key). */
export const gatewayHeader = 'x-nilecare-gateway-id';

/**
 * A hub event for one gateway, on the downstream topic keyed by its gatewayId
 * (docs/hub.md, "Hub to gateway"). The value is the event draft as canonical
 * JSON: the gateway appends it to its own log, where it gets its seq and hash.
 */
export function downstreamRecord(
  draft: EventDraft,
  gatewayId: string,
  topicPrefix: string,
  service: string,
): OutgoingRecord {
  return {
    topic: `${topicPrefix}${downstreamTopic}`,
    key: gatewayId,
    value: canonicalJson(draft),
    headers: {
      ce_specversion: cloudEventsSpecVersion,
      ce_id: draft.eventId,
      ce_type: draft.eventType,
      ce_source: `${hubSourcePrefix}${service}`,
      ce_time: draft.timestamp,
      'content-type': 'application/json',
      ce_dataschemaversion: draft.version,
      [gatewayHeader]: gatewayId,
    },
  };
}
