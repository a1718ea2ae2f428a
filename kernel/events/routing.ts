import type { ClinicalEvent } from './envelope.ts';
import { specOf } from './catalogue.ts';
import type { TopicName } from '../kafka/kafkaTopics.ts';

export interface Route {
  topic: TopicName;
  /** Kafka record key: the patient, so one patient's events stay in order; else the facility. */
  key: string;
}

/** Where an event goes on the hub (docs/architecture.md#kafka-topics). */
export function routeOf(event: Pick<ClinicalEvent, 'eventType' | 'patientId' | 'facilityId'>): Route {
  const spec = specOf(event.eventType);
  if (!spec) throw new Error(`routeOf: unknown event type "${event.eventType}"`);
  return { topic: spec.topic, key: event.patientId ?? event.facilityId };
}
