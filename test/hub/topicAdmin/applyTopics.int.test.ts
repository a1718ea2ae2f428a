import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApplyTopicsResult, applyTopics } from '../../../hub/topicAdmin/applyTopics.ts';
import { topicResource } from '../../../hub/topicAdmin/clusterTopics.ts';
import { statusOf } from '../../../hub/topicAdmin/planTopics.ts';
import { loadTopicsFile, type TopicsFile } from '../../../hub/topicAdmin/topicsFile.ts';
import { verdictOf } from '../../../hub/topicAdmin/topicsReport.ts';
import { testKafka } from '../../harness/kafka.ts';
import { topicPrefixes } from '../../harness/prefixedTopics.ts';

const file = loadTopicsFile();
const day = 86_400_000;
const prefixes = topicPrefixes('topics-apply');
let admin: Admin;

beforeAll(async () => {
  admin = testKafka('nilecare-topics-apply-test').admin();
  await admin.connect();
});

afterAll(async () => {
  await prefixes.deleteAll(admin);
  await admin.disconnect();
});

/** The topics file cut down to some of its topics, each changed as given. */
function fileWith(changes: Record<string, Partial<TopicsFile['topics'][number]>>): TopicsFile {
  return {
    ...file,
    topics: file.topics
      .filter((topic) => topic.name in changes)
      .map((topic) => ({ ...topic, ...changes[topic.name] })),
  };
}

async function configOf(topic: string): Promise<Record<string, string>> {
  const described = await admin.describeConfigs({
    resources: [{ type: topicResource, name: topic }],
    includeSynonyms: false,
  });
  return Object.fromEntries(
    described.resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]),
  );
}

/** What `kafka-configs.sh --alter --add-config` does: one value changed, the topic's other overrides kept. */
async function setByHand(topic: string, name: string, value: string): Promise<void> {
  const current = await configOf(topic);
  const managed = ['retention.ms', 'compression.type', 'cleanup.policy', 'min.insync.replicas'];
  const kept = Object.fromEntries(managed.map((key) => [key, current[key]!]));
  const configEntries = Object.entries({ ...kept, [name]: value }).map(([key, v]) => ({
    name: key,
    value: v,
  }));
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: topicResource, name: topic, configEntries }],
  });
  // The controller has it once alterConfigs returns; the broker that answers describeConfigs a moment later.
  await vi.waitFor(async () => expect((await configOf(topic))[name]).toBe(value), { timeout: 5_000 });
}

async function partitionsOf(topic: string): Promise<{ count: number; replicas: number[] }> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = topics[0]!.partitions;
  return { count: partitions.length, replicas: [...new Set(partitions.map((p) => p.replicas.length))] };
}

describe('applying the topics file to a cluster that has none of its topics (dev profile)', () => {
  const prefix = prefixes.next();
  let first: ApplyTopicsResult;

  beforeAll(async () => {
    first = await applyTopics(admin, 'dev', { file, prefix });
  });

  it('creates all twelve topics, the dead-letter topic among them, each with 16 partitions of one replica', async () => {
    expect(first.planned.map(statusOf)).toEqual(Array(12).fill('create'));
    const existing = (await admin.listTopics()).filter((name) => name.startsWith(prefix)).sort();
    expect(existing).toEqual(file.topics.map((topic) => `${prefix}${topic.name}`).sort());
    expect(existing).toContain(`${prefix}dead-letter-events`);
    for (const topic of existing)
      expect(await partitionsOf(topic), topic).toEqual({ count: 16, replicas: [1] });
  });

  it("sets the platform design's retention, gzip, delete cleanup and min.insync.replicas 1 on every topic", async () => {
    for (const entry of file.topics) {
      const config = await configOf(`${prefix}${entry.name}`);
      expect(config, entry.name).toMatchObject({
        'retention.ms': String(entry.retentionDays * day),
        'compression.type': 'gzip',
        'cleanup.policy': 'delete',
        'min.insync.replicas': '1',
      });
    }
    expect((await configOf(`${prefix}audit-events`))['retention.ms']).toBe(String(2557 * day));
  });

  it('leaves nothing to do after the first apply: exit code 0', () => {
    expect(first.failures).toEqual([]);
    expect(first.remaining.map(statusOf)).toEqual(Array(12).fill('in sync'));
    expect(verdictOf(first).exitCode).toBe(0);
  });

  it('changes nothing on a second apply and reports every topic in sync', async () => {
    const second = await applyTopics(admin, 'dev', { file, prefix });
    expect(second.planned.map(statusOf)).toEqual(Array(12).fill('in sync'));
    expect(verdictOf(second).exitCode).toBe(0);
  });

  it('puts back a retention changed by hand, reporting what it found', async () => {
    const topic = `${prefix}lab-events`;
    await setByHand(topic, 'retention.ms', '3600000');
    const result = await applyTopics(admin, 'dev', { file, prefix });
    const plan = result.planned.find((candidate) => candidate.topic === topic)!;
    expect(statusOf(plan)).toBe('update');
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: 'alterConfig',
        changes: [{ name: 'retention.ms', from: '3600000', to: String(7 * day) }],
      }),
    ]);
    expect((await configOf(topic))['retention.ms']).toBe(String(7 * day));
    expect(verdictOf(result).exitCode).toBe(0);
  });

  it('keeps and reports (exit code 3) a config set by hand that the file does not mention', async () => {
    const topic = `${prefix}billing-events`;
    await setByHand(topic, 'max.message.bytes', '2000000');
    const result = await applyTopics(admin, 'dev', { file, prefix });
    const plan = result.remaining.find((candidate) => candidate.topic === topic)!;
    expect(plan.drift).toEqual([
      { kind: 'unmanagedConfig', topic, name: 'max.message.bytes', value: '2000000' },
    ]);
    expect(verdictOf(result)).toMatchObject({ exitCode: 3, error: { code: 'HUB_ERR_TOPICS_DRIFT' } });
    expect((await configOf(topic))['max.message.bytes']).toBe('2000000');
  });
});

describe('a topics file whose partition count differs from the cluster', () => {
  const prefix = prefixes.next();

  beforeAll(async () => {
    await applyTopics(admin, 'dev', { file: fileWith({ 'alert-events': {}, 'device-events': {} }), prefix });
  });

  it('adds partitions when the file wants more, and leaves the other topics alone', async () => {
    const wider = fileWith({ 'alert-events': { partitions: 20 }, 'device-events': {} });
    const result = await applyTopics(admin, 'dev', { file: wider, prefix });
    expect(result.planned.map((plan) => [plan.topic, statusOf(plan)])).toEqual([
      [`${prefix}device-events`, 'in sync'],
      [`${prefix}alert-events`, 'update'],
    ]);
    expect((await partitionsOf(`${prefix}alert-events`)).count).toBe(20);
    expect(verdictOf(result).exitCode).toBe(0);
  });

  it('reports fewer partitions wanted as drift for a person (exit code 3) and removes none', async () => {
    const narrower = fileWith({ 'alert-events': { partitions: 8 }, 'device-events': {} });
    const result = await applyTopics(admin, 'dev', { file: narrower, prefix });
    expect(result.remaining[1]!.drift).toEqual([
      { kind: 'partitionsTooMany', topic: `${prefix}alert-events`, actual: 20, wanted: 8 },
    ]);
    expect(verdictOf(result).exitCode).toBe(3);
    expect((await partitionsOf(`${prefix}alert-events`)).count).toBe(20);
  });
});

describe('the deploy profile on the one-broker test cluster', () => {
  it('creates nothing and reports that replication factor 3 cannot be met, without failing', async () => {
    const prefix = prefixes.next();
    const result = await applyTopics(admin, 'deploy', { file, prefix });
    expect(result.brokers).toBe(1);
    expect(result.failures).toEqual([]);
    expect(result.remaining.map((plan) => plan.drift.map((drift) => drift.kind))).toEqual(
      Array(12).fill(['brokersTooFew']),
    );
    expect((await admin.listTopics()).filter((name) => name.startsWith(prefix))).toEqual([]);
    expect(verdictOf(result)).toMatchObject({ exitCode: 3, error: { code: 'HUB_ERR_TOPICS_DRIFT' } });
  });

  it('on topics the dev profile made, reports the replication factor and holds back min.insync.replicas 2', async () => {
    const prefix = prefixes.next();
    const one = fileWith({ 'audit-events': {} });
    await applyTopics(admin, 'dev', { file: one, prefix });
    const result = await applyTopics(admin, 'deploy', { file: one, prefix });
    expect(result.remaining[0]!.drift.map((drift) => drift.kind)).toEqual([
      'replicationFactor',
      'minInsyncAboveReplicas',
    ]);
    expect((await configOf(`${prefix}audit-events`))['min.insync.replicas']).toBe('1');
    expect(verdictOf(result).exitCode).toBe(3);
  });
});

describe('a dry run', () => {
  it('plans the creates and changes nothing', async () => {
    const prefix = prefixes.next();
    const result = await applyTopics(admin, 'dev', { file, prefix, dryRun: true });
    expect(result.planned.map(statusOf)).toEqual(Array(12).fill('create'));
    expect((await admin.listTopics()).filter((name) => name.startsWith(prefix))).toEqual([]);
    expect(verdictOf(result).exitCode).toBe(2);
  });
});
