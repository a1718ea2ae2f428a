import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { promtool } from '../harness/promtool.ts';

const root = resolve(import.meta.dirname, '..', '..');
const dashboardFile = resolve(root, 'deploy', 'grafana', 'dashboards', 'nilecare-event-flow.json');

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
}

const dashboard = () => JSON.parse(readFileSync(dashboardFile, 'utf8')) as { uid: string; panels: Panel[] };

/** Metric names the gateway and hub register (`name: '...'` in their metrics modules). */
function ownMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['gateway/metrics', 'hub/metrics']) {
    for (const file of readdirSync(resolve(root, dir))) {
      const source = readFileSync(resolve(root, dir, file), 'utf8');
      for (const match of source.matchAll(/'((?:nilecare_|events_|event_|dead_letter_|kafka_)[a-z_]+)'/g))
        names.add(match[1] as string);
    }
  }
  return names;
}

/** What kafka-exporter (danielqsj/kafka-exporter, compose file) exports that the dashboard reads. */
const kafkaExporterMetrics = new Set([
  'kafka_topic_partition_current_offset',
  'kafka_topic_partition_oldest_offset',
  'kafka_topic_partition_replicas',
]);

describe('Grafana dashboard (deploy/grafana/dashboards/nilecare-event-flow.json)', () => {
  it("has the platform design's panels plus the gateway backlog, all on the provisioned Prometheus", () => {
    const { panels } = dashboard();
    const titles = panels.map((panel) => panel.title);
    for (const wanted of [
      /^Event rate by topic/,
      /^Consumer lag/,
      /^Processing time \(p50, p95, p99\)/,
      /^Error rate/,
      /^Dead-letter queue size/,
      /^Topic size/,
      /^Gateway backlog/,
      /^Gateway disk space/,
      /^Gateway disk state/,
    ])
      expect(
        titles.some((title) => wanted.test(title)),
        `${wanted}`,
      ).toBe(true);
    const datasources = readFileSync(
      resolve(root, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'),
      'utf8',
    );
    for (const panel of panels) {
      expect(datasources).toContain(`uid: ${panel.datasource.uid}`);
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });

  it('queries only metrics that exist, in valid PromQL', () => {
    const known = new Set([...ownMetricNames(), ...kafkaExporterMetrics]);
    const expressions = dashboard().panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    for (const expr of expressions) {
      for (const match of expr.matchAll(/\b([a-z][a-z0-9_]*)\s*[{[]/g)) {
        const metric = (match[1] as string).replace(/_bucket$/, '');
        expect(
          known.has(metric),
          `${metric} in ${expr} is not exported by the gateway, hub or kafka-exporter`,
        ).toBe(true);
      }
    }
    // promtool parses each query as a recording rule: a syntax error fails the check.
    const dir = mkdtempSync(join(tmpdir(), 'nilecare-dashboard-'));
    try {
      const rules = {
        groups: [
          {
            name: 'dashboard',
            rules: expressions.map((expr, index) => ({ record: `nilecare:dashboard_query:${index}`, expr })),
          },
        ],
      };
      writeFileSync(join(dir, 'queries.yml'), stringify(rules));
      const result = promtool(['check', 'rules', 'queries.yml'], dir);
      expect(result.output).toContain(`SUCCESS: ${expressions.length} rules found`);
      expect(result.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
