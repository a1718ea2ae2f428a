import type { ApplyTopicsResult } from './applyTopics.ts';
import { statusOf, type TopicAction, type TopicDrift, type TopicPlan } from './planTopics.ts';
import { HubTopicsError } from './topicErrors.ts';

const msPerDay = 86_400_000;

function configText(config: Readonly<Record<string, string>>): string {
  const retention = Number(config['retention.ms']);
  const days = Number.isInteger(retention / msPerDay) ? `${retention / msPerDay} d` : `${retention} ms`;
  return `retention ${days}, ${config['compression.type']}, min.insync.replicas ${config['min.insync.replicas']}`;
}

export function describeAction(action: TopicAction): string {
  switch (action.kind) {
    case 'create':
      return `${action.partitions} partitions, replication ${action.replicationFactor}, ${configText(action.config)}`;
    case 'alterConfig':
      return action.changes
        .map((change) => `${change.name} ${change.from ?? '(unset)'} -> ${change.to}`)
        .join(', ');
    case 'addPartitions':
      // The default partitioner maps a key by hash modulo the count: new events of a patient may land elsewhere.
      return `partitions ${action.from} -> ${action.to} (keys map to new partitions from now on)`;
    default: {
      const unknown: never = action;
      return String(unknown);
    }
  }
}

export function describeDrift(drift: TopicDrift): string {
  switch (drift.kind) {
    case 'brokersTooFew':
      return `not created: replication factor ${drift.replicationFactor} needs ${drift.replicationFactor} brokers, the cluster has ${drift.brokers}`;
    case 'replicationFactor':
      return drift.brokers < drift.wanted
        ? `replication factor ${drift.actual}, file wants ${drift.wanted}: needs ${drift.wanted} brokers, the cluster has ${drift.brokers}`
        : `replication factor ${drift.actual}, file wants ${drift.wanted}: reassign partitions by hand`;
    case 'partitionsTooMany':
      return `${drift.actual} partitions, file wants ${drift.wanted}: Kafka cannot remove partitions`;
    case 'minInsyncAboveReplicas':
      return `min.insync.replicas ${drift.wanted} not set: above the topic's replication factor ${drift.replicationFactor}, every acks=all write would fail`;
    case 'unmanagedConfig':
      return `${drift.name}=${drift.value} is set on the cluster but not in the file`;
    default: {
      const unknown: never = drift;
      return String(unknown);
    }
  }
}

interface ReportRow {
  topic: string;
  status: string;
  details: string;
}

const appliedWords = { create: 'created', update: 'updated', 'in sync': 'in sync', drift: 'drift' } as const;
const plannedWords = { create: 'would create', update: 'would update', 'in sync': 'in sync', drift: 'drift' };

function rowOf(result: ApplyTopicsResult, planned: TopicPlan, index: number): ReportRow {
  const after = result.remaining[index] ?? planned;
  const failures = result.failures.filter((failure) => failure.topic === planned.topic);
  const details = [
    ...planned.actions.map(describeAction),
    ...after.drift.map(describeDrift),
    ...failures.map((failure) => `${failure.action} refused: ${failure.reason}`),
  ];
  let status: string = result.dryRun ? plannedWords[statusOf(planned)] : appliedWords[statusOf(planned)];
  if (!result.dryRun && after.drift.length > 0) status = 'drift';
  if (failures.length > 0) status = 'failed';
  return { topic: planned.topic, status, details: details.join('; ') };
}

/** The table `nilecare hub topics apply` prints: one line per topic, then a count per status. */
export function renderTopicsReport(result: ApplyTopicsResult, source: string): string {
  const rows = result.planned.map((plan, index) => rowOf(result, plan, index));
  const header = { topic: 'topic', status: 'status', details: 'details' };
  const topicWidth = Math.max(...[header, ...rows].map((row) => row.topic.length));
  const statusWidth = Math.max(...[header, ...rows].map((row) => row.status.length));
  const line = (row: ReportRow) =>
    `${row.topic.padEnd(topicWidth)}  ${row.status.padEnd(statusWidth)}  ${row.details}`.trimEnd();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const brokers = `${result.brokers} broker${result.brokers === 1 ? '' : 's'}`;
  return [
    `profile ${result.profile} · ${brokers} · ${source}${result.dryRun ? ' · dry run: nothing changed' : ''}`,
    line(header),
    ...rows.map(line),
    `${rows.length} topics: ${[...counts].map(([status, count]) => `${count} ${status}`).join(', ')}`,
  ].join('\n');
}

export interface TopicsVerdict {
  /** 0 in sync; 2 changes pending (dry run); 3 drift a person must resolve; 1 Kafka refused a change. */
  exitCode: 0 | 1 | 2 | 3;
  error?: HubTopicsError;
  note?: string;
}

/** The exit code and, when something is wrong, the coded error to print. */
export function verdictOf(result: ApplyTopicsResult): TopicsVerdict {
  if (result.failures.length > 0) {
    const reasons = result.failures.map((failure) => `${failure.topic} ${failure.action}: ${failure.reason}`);
    return {
      exitCode: 1,
      error: new HubTopicsError('HUB_ERR_TOPICS_APPLY_FAILED', [result.failures.length, reasons.join('; ')]),
    };
  }
  const unsettled = result.dryRun ? [] : result.remaining.filter((plan) => plan.actions.length > 0);
  if (unsettled.length > 0) {
    const reasons = unsettled.map((plan) => `${plan.topic} still differs after apply`);
    return {
      exitCode: 1,
      error: new HubTopicsError('HUB_ERR_TOPICS_APPLY_FAILED', [unsettled.length, reasons.join('; ')]),
    };
  }
  const drifted = result.remaining.filter((plan) => plan.drift.length > 0);
  if (drifted.length > 0) {
    // The table says why for each topic; the message names them, `details` carries the drift.
    const names = drifted.map((plan) => plan.topic).join(', ');
    const drift = drifted.flatMap((plan) => plan.drift);
    return {
      exitCode: 3,
      error: new HubTopicsError('HUB_ERR_TOPICS_DRIFT', [drifted.length, names], { drift }),
    };
  }
  const pending = result.remaining.filter((plan) => plan.actions.length > 0).length;
  if (result.dryRun && pending > 0) {
    return { exitCode: 2, note: `${pending} topic(s) would change; run without --dry-run to apply` };
  }
  return { exitCode: 0 };
}
