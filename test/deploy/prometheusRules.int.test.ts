import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtool } from '../harness/promtool.ts';

const prometheusDir = resolve(import.meta.dirname, '..', '..', 'deploy', 'prometheus');

interface RuleFile {
  groups: { name: string; rules: { alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

const rules = () =>
  (parse(readFileSync(resolve(prometheusDir, 'nilecare.rules.yml'), 'utf8')) as RuleFile).groups.flatMap(
    (group) => group.rules,
  );

describe('Prometheus alert rules (deploy/prometheus/nilecare.rules.yml)', () => {
  it('are valid rules for promtool', () => {
    const result = promtool(['check', 'rules', 'nilecare.rules.yml'], prometheusDir);
    expect(result.output).toContain('SUCCESS: 9 rules found');
    expect(result.ok).toBe(true);
  });

  it("fire just above each of the platform design's thresholds and stay quiet at it (promtool test rules)", () => {
    const result = promtool(['test', 'rules', 'nilecare.rules.test.yml'], prometheusDir);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it("carry the platform design's thresholds and a runbook link for every alert", () => {
    const byName = new Map(rules().map((rule) => [rule.alert, rule]));
    // The platform design's "Event Metrics" tables: lag > 1000, failures > 10/min, p95 > 1 s, DLQ > 100, replicas < 3.
    expect(byName.get('NileCareConsumerLagHigh')?.expr).toMatch(/kafka_consumergroup_lag\) > 1000$/);
    expect(byName.get('NileCareEventFailuresHigh')?.expr).toMatch(
      /increase\(events_failed_total\[1m\]\)\) > 10$/,
    );
    expect(byName.get('NileCareProcessingSlow')?.expr).toMatch(/^histogram_quantile\(0\.95, .*\) > 1$/);
    expect(byName.get('NileCareDeadLetterQueueLarge')?.expr).toMatch(/dead_letter_queue_size\) > 100$/);
    expect(byName.get('NileCareTopicUnderReplicated')?.expr).toMatch(
      /kafka_topic_partition_replicas.*\) < 3$/,
    );
    // A gateway's disk: alerted on the state its own disk guard reports (gateway/storage/), so the
    // alert and what the gateway refuses share the gateway's thresholds.
    expect(byName.get('NileCareGatewayDiskLow')?.expr).toMatch(/nilecare_storage_state\) == 1\)$/);
    expect(byName.get('NileCareGatewayDiskLow')?.labels?.severity).toBe('warning');
    expect(byName.get('NileCareGatewayDiskCritical')?.expr).toMatch(/nilecare_storage_state\) == 2\)$/);
    expect(byName.get('NileCareGatewayDiskCritical')?.labels?.severity).toBe('critical');
    const operations = readFileSync(resolve(prometheusDir, '..', '..', 'docs', 'operations.md'), 'utf8');
    for (const rule of rules()) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
      // docs/operations.md has a section per alert, named after it, saying what to do.
      expect(operations, `docs/operations.md has no section for ${rule.alert}`).toMatch(
        new RegExp(`^#+ .*${rule.alert}`, 'm'),
      );
    }
  });
});
