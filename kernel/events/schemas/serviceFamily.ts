/**
 * How the schema files of the hub services and the admission saga declare
 * their events: a family says where its events go and who may publish them,
 * `define` makes one catalogue entry of it.
 */
import type { DataSchema, EventSubject, EventTypeSpec, SyncLane } from '../eventTypeSpec.ts';
import type { TopicName } from '../../kafka/kafkaTopics.ts';

/** Where a family of events goes and who may publish it. */
export type Family = Pick<EventTypeSpec, 'topic' | 'lane' | 'subject' | 'publishers'>;

export function family(
  topic: TopicName,
  lane: SyncLane,
  subject: EventSubject,
  ...publishers: string[]
): Family {
  return { topic, lane, subject, publishers };
}

/** One catalogue entry of a family, at 1.0 unless `version` bumps it. */
export function define(
  where: Family,
  eventType: string,
  what: string,
  dataSchema: DataSchema,
  version = '1.0',
) {
  return { eventType, version, ...where, description: what, dataSchema } satisfies EventTypeSpec;
}
