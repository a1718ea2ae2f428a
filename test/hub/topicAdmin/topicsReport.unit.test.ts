import { describe, expect, it } from 'vitest';
import type { ApplyTopicsResult } from '../../../hub/topicAdmin/applyTopics.ts';
import type { ClusterTopic } from '../../../hub/topicAdmin/clusterTopics.ts';
import { desiredTopics } from '../../../hub/topicAdmin/desiredTopics.ts';
import { planTopics } from '../../../hub/topicAdmin/planTopics.ts';
import { loadTopicsFile } from '../../../hub/topicAdmin/topicsFile.ts';
import { renderTopicsReport, verdictOf } from '../../../hub/topicAdmin/topicsReport.ts';

const file = loadTopicsFile();
const empty = { brokers: 1, topics: new Map<string, ClusterTopic>() };
const created = new Map(
  desiredTopics(file, 'dev').map((wanted) => [
    wanted.name,
    { ...wanted, overrides: Object.keys(wanted.config) } satisfies ClusterTopic,
  ]),
);
const inSync = planTopics(file, 'dev', { brokers: 1, topics: created });

function result(change: Partial<ApplyTopicsResult>): ApplyTopicsResult {
  return {
    profile: 'dev',
    dryRun: false,
    brokers: 1,
    planned: inSync,
    failures: [],
    remaining: inSync,
    ...change,
  };
}

describe('the apply report', () => {
  it('says "created" for each topic a first apply made, and exits 0', () => {
    const outcome = result({ planned: planTopics(file, 'dev', empty) });
    const report = renderTopicsReport(outcome, 'deploy/kafka/topics.json');
    expect(report).toMatch(/^audit-events\s+created\s+16 partitions, replication 1, retention 2557 d, gzip/m);
    expect(report).toContain('12 topics: 12 created');
    expect(verdictOf(outcome)).toEqual({ exitCode: 0 });
  });

  it('says "in sync" for every topic when nothing had to change, and exits 0', () => {
    const outcome = result({});
    expect(renderTopicsReport(outcome, 'f.json')).toContain('12 topics: 12 in sync');
    expect(verdictOf(outcome).exitCode).toBe(0);
  });

  it('says "would create" on a dry run and exits 2: changes are pending', () => {
    const planned = planTopics(file, 'dev', empty);
    const outcome = result({ dryRun: true, planned, remaining: planned });
    const report = renderTopicsReport(outcome, 'f.json');
    expect(report).toContain('dry run: nothing changed');
    expect(report).toContain('12 would create');
    expect(verdictOf(outcome)).toMatchObject({ exitCode: 2 });
  });

  it('exits 3 with HUB_ERR_TOPICS_DRIFT naming the topics when drift needs a person', () => {
    const planned = planTopics(file, 'deploy', empty);
    const outcome = result({ profile: 'deploy', planned, remaining: planned });
    expect(renderTopicsReport(outcome, 'f.json')).toMatch(
      /^clinical-events\s+drift\s+not created: replication factor 3 needs 3 brokers, the cluster has 1$/m,
    );
    const verdict = verdictOf(outcome);
    expect(verdict.exitCode).toBe(3);
    expect(verdict.error?.code).toBe('HUB_ERR_TOPICS_DRIFT');
    expect(verdict.error?.message).toContain('12 topic(s)');
    expect(verdict.error?.message).toContain('dead-letter-events');
  });

  it('exits 1 with HUB_ERR_TOPICS_APPLY_FAILED and marks the topic "failed" when Kafka refused a change', () => {
    const planned = planTopics(file, 'dev', empty);
    const failures = [{ topic: 'lab-events', action: 'create' as const, reason: 'POLICY_VIOLATION: no' }];
    const outcome = result({ planned, failures, remaining: planned });
    expect(renderTopicsReport(outcome, 'f.json')).toMatch(
      /^lab-events\s+failed\s+.*create refused: POLICY_VIOLATION/m,
    );
    const verdict = verdictOf(outcome);
    expect(verdict.exitCode).toBe(1);
    expect(verdict.error?.code).toBe('HUB_ERR_TOPICS_APPLY_FAILED');
  });
});
