import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { type ClusterState, describeClusterTopics, topicResource } from './clusterTopics.ts';
import { desiredTopics } from './desiredTopics.ts';
import { planTopics, type TopicAction, type TopicPlan } from './planTopics.ts';
import type { TopicsFile } from './topicsFile.ts';

export interface ApplyTopicsOptions {
  file: TopicsFile;
  /** Put before every topic name (tests and staging share a cluster with it). */
  prefix?: string;
  /** Plan only: change nothing. */
  dryRun?: boolean;
  /** How long to wait for the cluster to show what apply changed, in ms. */
  settleTimeoutMs?: number;
  /** How often to look while waiting, in ms. */
  settleIntervalMs?: number;
}

const defaultApplyOptions = {
  prefix: '',
  dryRun: false,
  settleTimeoutMs: 10_000, // ms: a config change reaches every broker through the metadata log
  settleIntervalMs: 200, // ms
};

/** A change Kafka refused, in Kafka's words. */
export interface ApplyFailure {
  topic: string;
  action: TopicAction['kind'];
  reason: string;
}

export interface ApplyTopicsResult {
  profile: string;
  dryRun: boolean;
  brokers: number;
  /** The plan against the cluster as apply found it. */
  planned: TopicPlan[];
  failures: ApplyFailure[];
  /** The plan against the cluster after apply: only drift for a person is left when all went well. */
  remaining: TopicPlan[];
}

/** The error a kafkajs call threw, per topic where Kafka said which (CreateTopics answers per topic). */
function reasonsByTopic(error: unknown): Map<string, string> {
  const nested = (error as { errors?: unknown }).errors;
  const reasons = new Map<string, string>();
  if (!Array.isArray(nested)) return reasons;
  for (const item of nested as { topic?: unknown; type?: unknown; message?: unknown }[]) {
    if (typeof item.topic === 'string')
      reasons.set(item.topic, `${String(item.type)}: ${String(item.message)}`);
  }
  return reasons;
}

async function createTopics(
  admin: Admin,
  creates: Extract<TopicAction, { kind: 'create' }>[],
): Promise<ApplyFailure[]> {
  if (creates.length === 0) return [];
  try {
    await admin.createTopics({
      topics: creates.map((action) => ({
        topic: action.topic,
        numPartitions: action.partitions,
        replicationFactor: action.replicationFactor,
        configEntries: Object.entries(action.config).map(([name, value]) => ({ name, value })),
      })),
    });
    return [];
  } catch (error) {
    const reasons = reasonsByTopic(error);
    return creates
      .map((action) => ({ action, reason: reasons.get(action.topic) ?? (error as Error).message }))
      .filter(({ reason }) => !reason.startsWith('TOPIC_ALREADY_EXISTS')) // another apply won the race
      .map(({ action, reason }) => ({ topic: action.topic, action: action.kind, reason }));
  }
}

/** One change to an existing topic; a refusal is reported and the other changes still go ahead. */
async function changeTopic(admin: Admin, action: TopicAction): Promise<ApplyFailure[]> {
  try {
    switch (action.kind) {
      case 'create':
        return [];
      case 'alterConfig':
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: topicResource,
              name: action.topic,
              configEntries: Object.entries(action.config).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        return [];
      case 'addPartitions':
        await admin.createPartitions({ topicPartitions: [{ topic: action.topic, count: action.to }] });
        return [];
      default: {
        const unknown: never = action;
        throw new Error(`unknown topic action ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    return [{ topic: action.topic, action: action.kind, reason: (error as Error).message }];
  }
}

async function execute(admin: Admin, actions: readonly TopicAction[]): Promise<ApplyFailure[]> {
  const creates = actions.filter((action) => action.kind === 'create');
  const failures = await createTopics(admin, creates);
  for (const action of actions.filter((candidate) => candidate.kind !== 'create')) {
    failures.push(...(await changeTopic(admin, action)));
  }
  return failures;
}

const actionKey = (action: TopicAction) => `${action.topic}\u0000${action.kind}`;

/** True when nothing is left for apply to do, apart from what Kafka refused. */
function settled(plans: readonly TopicPlan[], failures: readonly ApplyFailure[]): boolean {
  return plans.every((plan) =>
    plan.actions.every((action) =>
      failures.some((failure) => failure.topic === action.topic && failure.action === action.kind),
    ),
  );
}

/**
 * Makes the cluster match the topics file under `profile`: creates missing
 * topics, sets configs that differ, adds partitions; then describes the
 * cluster again (waiting briefly for brokers to catch up) and plans once more,
 * so `remaining` holds what still differs: drift a person has to resolve.
 * Idempotent: a second run finds everything in sync and changes nothing.
 * `admin` is connected; the caller owns it.
 */
export async function applyTopics(
  admin: Admin,
  profile: string,
  options: ApplyTopicsOptions,
): Promise<ApplyTopicsResult> {
  const { file, prefix, dryRun, settleTimeoutMs, settleIntervalMs } = { ...defaultApplyOptions, ...options };
  // Checks the profile and prefix before anything goes over the network.
  const names = desiredTopics(file, profile, prefix).map((topic) => topic.name);
  const look = async (): Promise<[ClusterState, TopicPlan[]]> => {
    const cluster = await describeClusterTopics(admin, names);
    return [cluster, planTopics(file, profile, cluster, prefix)];
  };
  const [cluster, planned] = await look();
  if (dryRun || planned.every((plan) => plan.actions.length === 0)) {
    return { profile, dryRun, brokers: cluster.brokers, planned, failures: [], remaining: planned };
  }
  // Each action runs at most once. A later look may show one not planned at first: a broker whose
  // metadata lagged listed an existing topic as missing, and only now shows its partitions short.
  const done = new Set<string>();
  const failures: ApplyFailure[] = [];
  const runNew = async (plans: readonly TopicPlan[]): Promise<number> => {
    const fresh = plans.flatMap((plan) => plan.actions).filter((action) => !done.has(actionKey(action)));
    for (const action of fresh) done.add(actionKey(action));
    failures.push(...(await execute(admin, fresh)));
    return fresh.length;
  };
  await runNew(planned);
  const deadline = Date.now() + settleTimeoutMs;
  let [, remaining] = await look();
  while (!settled(remaining, failures) && Date.now() < deadline) {
    if ((await runNew(remaining)) === 0) await sleep(settleIntervalMs);
    [, remaining] = await look();
  }
  return { profile, dryRun, brokers: cluster.brokers, planned, failures, remaining };
}
