import { describe, expect, it } from 'vitest';
import type { ClusterState, ClusterTopic } from '../../../hub/topicAdmin/clusterTopics.ts';
import { desiredTopics } from '../../../hub/topicAdmin/desiredTopics.ts';
import { planTopics, statusOf, type TopicPlan } from '../../../hub/topicAdmin/planTopics.ts';
import { loadTopicsFile } from '../../../hub/topicAdmin/topicsFile.ts';

const file = loadTopicsFile();
const day = 86_400_000;

/** A cluster whose topics are exactly what the file wants under `profile`, with broker defaults around them. */
function matchingCluster(profile: string, brokers: number, prefix = ''): Map<string, ClusterTopic> {
  return new Map(
    desiredTopics(file, profile, prefix).map((wanted) => [
      wanted.name,
      {
        name: wanted.name,
        partitions: wanted.partitions,
        replicationFactor: Math.min(wanted.replicationFactor, brokers),
        config: { 'max.message.bytes': '1048588', 'segment.ms': '604800000', ...wanted.config },
        overrides: Object.keys(wanted.config),
      },
    ]),
  );
}

function withTopic(topics: Map<string, ClusterTopic>, name: string, change: Partial<ClusterTopic>) {
  const topic = topics.get(name)!;
  topics.set(name, { ...topic, ...change, config: { ...topic.config, ...change.config } });
  return topics;
}

const planFor = (topic: string, plans: TopicPlan[]) => plans.find((plan) => plan.topic === topic)!;

describe('planTopics on an empty cluster', () => {
  const empty: ClusterState = { brokers: 1, topics: new Map() };

  it("creates all twelve topics (the platform design's ten, the dead-letter and downstream topics) with 16 partitions and gzip", () => {
    const plans = planTopics(file, 'dev', empty);
    expect(plans.map(statusOf)).toEqual(Array(12).fill('create'));
    expect(plans.map((plan) => plan.topic)).toContain('dead-letter-events');
    for (const plan of plans) {
      expect(plan.actions).toEqual([
        expect.objectContaining({
          kind: 'create',
          partitions: 16,
          replicationFactor: 1,
          config: expect.objectContaining({
            'compression.type': 'gzip',
            'cleanup.policy': 'delete',
            'min.insync.replicas': '1',
          }),
        }),
      ]);
    }
  });

  it("gives each topic the platform design's retention: 7 days, 30 days, or 7 years for audit, compliance and dead letters", () => {
    const retention = Object.fromEntries(
      planTopics(file, 'dev', empty).map((plan) => {
        const action = plan.actions[0]!;
        return [plan.topic, action.kind === 'create' ? Number(action.config['retention.ms']) / day : 0];
      }),
    );
    expect(retention).toEqual({
      'clinical-events': 7,
      'patient-events': 30,
      'medication-events': 7,
      'lab-events': 7,
      'device-events': 7,
      'appointment-events': 7,
      'billing-events': 30,
      'audit-events': 2557,
      'alert-events': 7,
      'sudan-compliance-events': 2557,
      'dead-letter-events': 2557,
      'gateway-downstream': 30,
    });
  });

  it('asks for replication factor 3 and min.insync.replicas 2 in the deploy profile', () => {
    const plans = planTopics(file, 'deploy', { brokers: 3, topics: new Map() });
    for (const plan of plans) {
      expect(plan.actions[0]).toMatchObject({
        kind: 'create',
        replicationFactor: 3,
        config: { 'min.insync.replicas': '2' },
      });
    }
  });

  it('creates nothing in the deploy profile on a one-broker cluster, and says replication factor 3 cannot be met', () => {
    const plans = planTopics(file, 'deploy', empty);
    expect(plans.map(statusOf)).toEqual(Array(12).fill('drift'));
    expect(plans.flatMap((plan) => plan.actions)).toEqual([]);
    expect(plans[0]!.drift).toEqual([
      { kind: 'brokersTooFew', topic: 'clinical-events', replicationFactor: 3, brokers: 1 },
    ]);
  });

  it('puts the prefix before every name', () => {
    const plans = planTopics(file, 'dev', empty, 'staging.');
    expect(plans.every((plan) => plan.topic.startsWith('staging.'))).toBe(true);
    expect(plans[0]!.actions[0]).toMatchObject({ topic: 'staging.clinical-events' });
  });
});

describe('planTopics on a cluster that matches the file', () => {
  it('has nothing to do: every topic in sync', () => {
    const plans = planTopics(file, 'dev', { brokers: 1, topics: matchingCluster('dev', 1) });
    expect(plans.map(statusOf)).toEqual(Array(12).fill('in sync'));
  });

  it('is in sync in the deploy profile on a three-broker cluster too', () => {
    const plans = planTopics(file, 'deploy', { brokers: 3, topics: matchingCluster('deploy', 3) });
    expect(plans.map(statusOf)).toEqual(Array(12).fill('in sync'));
  });
});

describe('planTopics when the cluster has drifted', () => {
  it('sets a retention changed by hand back, keeping the other topic configs in the set it sends', () => {
    const topics = withTopic(matchingCluster('dev', 1), 'lab-events', {
      config: { 'retention.ms': '1000', 'max.message.bytes': '2000000' },
      overrides: ['retention.ms', 'compression.type', 'cleanup.policy', 'min.insync.replicas'],
    });
    const plan = planFor('lab-events', planTopics(file, 'dev', { brokers: 1, topics }));
    expect(statusOf(plan)).toBe('update');
    expect(plan.actions).toEqual([
      {
        kind: 'alterConfig',
        topic: 'lab-events',
        changes: [{ name: 'retention.ms', from: '1000', to: String(7 * day) }],
        config: {
          'retention.ms': String(7 * day),
          'compression.type': 'gzip',
          'cleanup.policy': 'delete',
          'min.insync.replicas': '1',
        },
      },
    ]);
  });

  it('adds partitions when the file wants more, and never plans to remove them', () => {
    const fewer = withTopic(matchingCluster('dev', 1), 'alert-events', { partitions: 8 });
    const grow = planFor('alert-events', planTopics(file, 'dev', { brokers: 1, topics: fewer }));
    expect(grow.actions).toEqual([{ kind: 'addPartitions', topic: 'alert-events', from: 8, to: 16 }]);

    const more = withTopic(matchingCluster('dev', 1), 'alert-events', { partitions: 32 });
    const shrink = planFor('alert-events', planTopics(file, 'dev', { brokers: 1, topics: more }));
    expect(shrink.actions).toEqual([]);
    expect(shrink.drift).toEqual([
      { kind: 'partitionsTooMany', topic: 'alert-events', actual: 32, wanted: 16 },
    ]);
    expect(statusOf(shrink)).toBe('drift');
  });

  it('reports a different replication factor as drift for a person, and changes nothing for it', () => {
    const topics = withTopic(matchingCluster('deploy', 3), 'audit-events', { replicationFactor: 2 });
    const plan = planFor('audit-events', planTopics(file, 'deploy', { brokers: 3, topics }));
    expect(plan.actions).toEqual([]);
    expect(plan.drift).toEqual([
      { kind: 'replicationFactor', topic: 'audit-events', actual: 2, wanted: 3, brokers: 3 },
    ]);
  });

  it('holds back min.insync.replicas 2 on a topic with one replica, since acks=all writes would all fail', () => {
    const plan = planFor(
      'clinical-events',
      planTopics(file, 'deploy', { brokers: 1, topics: matchingCluster('dev', 1) }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.drift).toEqual([
      { kind: 'replicationFactor', topic: 'clinical-events', actual: 1, wanted: 3, brokers: 1 },
      { kind: 'minInsyncAboveReplicas', topic: 'clinical-events', wanted: '2', replicationFactor: 1 },
    ]);
  });

  it('reports a topic config set on the cluster but absent from the file, and keeps it', () => {
    const topics = withTopic(matchingCluster('dev', 1), 'billing-events', {
      config: { 'max.message.bytes': '2000000', 'retention.ms': '5' },
      overrides: [
        'retention.ms',
        'compression.type',
        'cleanup.policy',
        'min.insync.replicas',
        'max.message.bytes',
      ],
    });
    const plan = planFor('billing-events', planTopics(file, 'dev', { brokers: 1, topics }));
    expect(plan.drift).toEqual([
      { kind: 'unmanagedConfig', topic: 'billing-events', name: 'max.message.bytes', value: '2000000' },
    ]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'alterConfig',
      config: { 'max.message.bytes': '2000000', 'retention.ms': String(30 * day) },
    });
  });

  it('treats a value inherited from the broker as matching when it equals what the file wants', () => {
    const topics = withTopic(matchingCluster('dev', 1), 'device-events', {
      overrides: ['retention.ms', 'compression.type', 'min.insync.replicas'],
    });
    expect(statusOf(planFor('device-events', planTopics(file, 'dev', { brokers: 1, topics })))).toBe(
      'in sync',
    );
  });
});
