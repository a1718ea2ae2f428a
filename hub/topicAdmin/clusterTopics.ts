import type { Admin, ConfigEntries } from 'kafkajs';

/** One topic as the cluster has it. */
export interface ClusterTopic {
  name: string;
  partitions: number;
  /** Fewest replicas of any partition: a topic is only as durable as its weakest partition. */
  replicationFactor: number;
  /** Every config value the broker reports for the topic, whatever its source. */
  config: Readonly<Record<string, string>>;
  /** The configs set on the topic itself (not inherited from broker defaults). */
  overrides: readonly string[];
}

/** What planning needs to know about the cluster: its size and the topics it has (of those asked about). */
export interface ClusterState {
  brokers: number;
  topics: ReadonlyMap<string, ClusterTopic>;
}

// Kafka protocol constants (DescribeConfigs): resource type TOPIC, config source DYNAMIC_TOPIC_CONFIG.
// kafkajs exports them as enums, but only on its CommonJS object, which ESM cannot import by name.
export const topicResource = 2;
const topicConfigSource = 1;

function configOf(entries: readonly ConfigEntries[]): Pick<ClusterTopic, 'config' | 'overrides'> {
  const config: Record<string, string> = {};
  const overrides: string[] = [];
  for (const entry of entries) {
    // Sensitive values come back as null; no topic config this file manages is sensitive.
    if (entry.configValue === null || entry.configValue === undefined) continue;
    config[entry.configName] = entry.configValue;
    if (entry.configSource === topicConfigSource) overrides.push(entry.configName);
  }
  return { config, overrides };
}

function fewestReplicas(partitions: readonly { replicas: readonly number[] }[]): number {
  return partitions.length === 0 ? 0 : Math.min(...partitions.map((partition) => partition.replicas.length));
}

/** Reads the cluster's size and, of `names`, the topics that exist: partitions, replicas, configs. */
export async function describeClusterTopics(admin: Admin, names: readonly string[]): Promise<ClusterState> {
  const [cluster, existing] = await Promise.all([admin.describeCluster(), admin.listTopics()]);
  const present = names.filter((name) => existing.includes(name));
  const topics = new Map<string, ClusterTopic>();
  if (present.length > 0) {
    const [metadata, configs] = await Promise.all([
      admin.fetchTopicMetadata({ topics: present }),
      admin.describeConfigs({
        resources: present.map((name) => ({ type: topicResource, name })),
        includeSynonyms: false,
      }),
    ]);
    const configByTopic = new Map(configs.resources.map((resource) => [resource.resourceName, resource]));
    for (const topic of metadata.topics) {
      topics.set(topic.name, {
        name: topic.name,
        partitions: topic.partitions.length,
        replicationFactor: fewestReplicas(topic.partitions),
        ...configOf(configByTopic.get(topic.name)?.configEntries ?? []),
      });
    }
  }
  return { brokers: cluster.brokers.length, topics };
}
