import type { ClusterState, ClusterTopic } from './clusterTopics.ts';
import { type DesiredTopic, desiredTopics } from './desiredTopics.ts';
import type { TopicsFile } from './topicsFile.ts';

export interface ConfigChange {
  name: string;
  /** The cluster's value; undefined when the broker reports none. */
  from: string | undefined;
  to: string;
}

/** A change apply makes by itself. */
export type TopicAction =
  | {
      kind: 'create';
      topic: string;
      partitions: number;
      replicationFactor: number;
      config: Readonly<Record<string, string>>;
    }
  | {
      kind: 'alterConfig';
      topic: string;
      changes: readonly ConfigChange[];
      /** The whole set to send: Kafka's AlterConfigs replaces every topic-level config at once. */
      config: Readonly<Record<string, string>>;
    }
  | { kind: 'addPartitions'; topic: string; from: number; to: number };

/** A difference apply leaves to a person: Kafka cannot do it, or doing it blindly would hurt. */
export type TopicDrift =
  | { kind: 'brokersTooFew'; topic: string; replicationFactor: number; brokers: number }
  | { kind: 'replicationFactor'; topic: string; actual: number; wanted: number; brokers: number }
  | { kind: 'partitionsTooMany'; topic: string; actual: number; wanted: number }
  | { kind: 'minInsyncAboveReplicas'; topic: string; wanted: string; replicationFactor: number }
  | { kind: 'unmanagedConfig'; topic: string; name: string; value: string };

export interface TopicPlan {
  topic: string;
  actions: TopicAction[];
  drift: TopicDrift[];
}

export type TopicStatus = 'create' | 'update' | 'in sync' | 'drift';

type Finding = { actions?: TopicAction[]; drift?: TopicDrift[] };
type ExistingTopicCheck = (wanted: DesiredTopic, actual: ClusterTopic, brokers: number) => Finding;

const partitionCount: ExistingTopicCheck = (wanted, actual) => {
  if (actual.partitions < wanted.partitions) {
    return {
      actions: [
        { kind: 'addPartitions', topic: wanted.name, from: actual.partitions, to: wanted.partitions },
      ],
    };
  }
  if (actual.partitions > wanted.partitions) {
    // Kafka can add partitions but never remove them.
    return {
      drift: [
        {
          kind: 'partitionsTooMany',
          topic: wanted.name,
          actual: actual.partitions,
          wanted: wanted.partitions,
        },
      ],
    };
  }
  return {};
};

const replicationFactor: ExistingTopicCheck = (wanted, actual, brokers) => {
  if (actual.replicationFactor === wanted.replicationFactor) return {};
  // Changing it means a partition reassignment plan, which moves data between brokers: a person's call.
  return {
    drift: [
      {
        kind: 'replicationFactor',
        topic: wanted.name,
        actual: actual.replicationFactor,
        wanted: wanted.replicationFactor,
        brokers,
      },
    ],
  };
};

const configValues: ExistingTopicCheck = (wanted, actual) => {
  const changes: ConfigChange[] = [];
  const drift: TopicDrift[] = [];
  for (const [name, to] of Object.entries(wanted.config)) {
    const from = actual.config[name];
    if (from === to) continue;
    // min.insync.replicas above the topic's replica count would refuse every acks=all write.
    if (name === 'min.insync.replicas' && Number(to) > actual.replicationFactor) {
      drift.push({
        kind: 'minInsyncAboveReplicas',
        topic: wanted.name,
        wanted: to,
        replicationFactor: actual.replicationFactor,
      });
      continue;
    }
    changes.push({ name, from, to });
  }
  if (changes.length === 0) return { drift };
  const kept = Object.fromEntries(actual.overrides.map((name) => [name, actual.config[name] ?? '']));
  const changed = Object.fromEntries(changes.map((change) => [change.name, change.to]));
  return {
    actions: [{ kind: 'alterConfig', topic: wanted.name, changes, config: { ...kept, ...changed } }],
    drift,
  };
};

const unmanagedOverrides: ExistingTopicCheck = (wanted, actual) => ({
  drift: actual.overrides
    .filter((name) => !(name in wanted.config))
    .map((name) => ({
      kind: 'unmanagedConfig' as const,
      topic: wanted.name,
      name,
      value: actual.config[name] ?? '',
    })),
});

const existingTopicChecks: readonly ExistingTopicCheck[] = [
  partitionCount,
  replicationFactor,
  configValues,
  unmanagedOverrides,
];

function planOne(wanted: DesiredTopic, cluster: ClusterState): TopicPlan {
  const actual = cluster.topics.get(wanted.name);
  if (!actual) {
    if (cluster.brokers < wanted.replicationFactor) {
      const drift: TopicDrift = {
        kind: 'brokersTooFew',
        topic: wanted.name,
        replicationFactor: wanted.replicationFactor,
        brokers: cluster.brokers,
      };
      return { topic: wanted.name, actions: [], drift: [drift] };
    }
    const { name, partitions, replicationFactor, config } = wanted;
    return {
      topic: name,
      actions: [{ kind: 'create', topic: name, partitions, replicationFactor, config }],
      drift: [],
    };
  }
  const findings = existingTopicChecks.map((check) => check(wanted, actual, cluster.brokers));
  return {
    topic: wanted.name,
    actions: findings.flatMap((finding) => finding.actions ?? []),
    drift: findings.flatMap((finding) => finding.drift ?? []),
  };
}

/**
 * What it takes to make the cluster match the file under a profile: for each
 * topic of the file (in its order), the changes apply makes and the drift it
 * leaves to a person. Pure: the cluster arrives as a description.
 */
export function planTopics(
  file: TopicsFile,
  profile: string,
  cluster: ClusterState,
  prefix = '',
): TopicPlan[] {
  return desiredTopics(file, profile, prefix).map((wanted) => planOne(wanted, cluster));
}

/** One word per topic for the report: drift wins, because it needs a person. */
export function statusOf(plan: TopicPlan): TopicStatus {
  if (plan.drift.length > 0) return 'drift';
  if (plan.actions.some((action) => action.kind === 'create')) return 'create';
  return plan.actions.length > 0 ? 'update' : 'in sync';
}
