import { deadLetterTopic, type TopicName, topicNames } from '../kernel/kafka/kafkaTopics.ts';

/** The Kafka topic names one hub works with, under its `topicPrefix`. */
export interface HubTopics {
  /** The platform design's ten topics, in the catalogue's order. */
  events: string[];
  /** Where refused records go, with the reason in headers. */
  deadLetter: string;
  /** Where compliance_violation_detected is published. */
  compliance: string;
  /** The prefixed name of one of the platform design's topics. */
  of(topic: TopicName): string;
}

export function hubTopics(prefix: string): HubTopics {
  const of = (topic: TopicName) => `${prefix}${topic}`;
  return {
    events: topicNames.map(of),
    deadLetter: `${prefix}${deadLetterTopic}`,
    compliance: of('sudan-compliance-events'),
    of,
  };
}
