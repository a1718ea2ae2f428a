import { HubTopicsError } from './topicErrors.ts';
import type { TopicsFile } from './topicsFile.ts';

/** One topic as the file wants it on the cluster, in Kafka's own terms. */
export interface DesiredTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Kafka topic configs, as Kafka spells them (retention.ms, compression.type, ...). */
  config: Readonly<Record<string, string>>;
}

const msPerDay = 86_400_000;
/** Kafka's limit on a topic name's length. */
const maxTopicName = 249;
const legalTopicCharacters = /^[A-Za-z0-9._-]*$/;

function checkPrefix(prefix: string, longestName: number): void {
  if (!legalTopicCharacters.test(prefix)) {
    throw new HubTopicsError('HUB_ERR_TOPICS_PREFIX_INVALID', [
      prefix,
      "Kafka topic names allow only letters, digits, '.', '_' and '-'",
    ]);
  }
  if (prefix.length + longestName > maxTopicName) {
    throw new HubTopicsError('HUB_ERR_TOPICS_PREFIX_INVALID', [
      prefix,
      `with it the longest topic name would be over Kafka's ${maxTopicName} characters`,
    ]);
  }
}

/**
 * The topics the file wants under one profile: defaults, then the topic's own
 * fields, then the profile's replication. `prefix` goes before every name (tests
 * and staging share a cluster with it).
 */
export function desiredTopics(file: TopicsFile, profileName: string, prefix = ''): DesiredTopic[] {
  const profile = Object.hasOwn(file.profiles, profileName) ? file.profiles[profileName] : undefined;
  if (!profile) {
    throw new HubTopicsError('HUB_ERR_TOPICS_PROFILE_UNKNOWN', [
      profileName,
      file.source,
      Object.keys(file.profiles).join(', '),
    ]);
  }
  checkPrefix(prefix, Math.max(...file.topics.map((topic) => topic.name.length)));
  return file.topics.map((topic) => ({
    name: `${prefix}${topic.name}`,
    partitions: topic.partitions ?? file.defaults.partitions,
    replicationFactor: profile.replicationFactor,
    config: {
      ...topic.config,
      'retention.ms': String(topic.retentionDays * msPerDay),
      'compression.type': topic.compression ?? file.defaults.compression,
      'cleanup.policy': topic.cleanupPolicy ?? file.defaults.cleanupPolicy,
      'min.insync.replicas': String(profile.minInsyncReplicas),
    },
  }));
}
