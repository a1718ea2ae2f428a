import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const composeFile = resolve(import.meta.dirname, '..', '..', 'deploy', 'hub', 'compose.yaml');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  volumes?: string[];
  command?: string[];
}

const compose = () =>
  parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

describe('hub compose file (deploy/hub/compose.yaml)', () => {
  it('runs three KRaft brokers with replication factor 3 and min.insync.replicas 2', () => {
    const { services } = compose();
    const brokers = Object.entries(services).filter(([name]) => /^kafka-\d$/.test(name));
    expect(brokers.map(([name]) => name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    const nodeIds = new Set<number>();
    for (const [name, broker] of brokers) {
      const env = broker.environment ?? {};
      expect(env.KAFKA_PROCESS_ROLES, name).toBe('broker,controller');
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS, name).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR, name).toBe(3);
      expect(env.KAFKA_MIN_INSYNC_REPLICAS, name).toBe(2);
      expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, name).toBe(3);
      expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE, name).toBe('false');
      expect(env.KAFKA_ADVERTISED_LISTENERS, name).toBe(`INTERNAL://${name}:9092`);
      nodeIds.add(Number(env.KAFKA_NODE_ID));
      // The Kafka version the tests prove kafkajs against (deploy/dev/kafka-pom.xml).
      expect(broker.image).toBe(`apache/kafka:${kafkaVersionOfTests()}`);
    }
    expect([...nodeIds].sort()).toEqual([1, 2, 3]);
  });

  it('runs PostgreSQL, the hub, kafka-exporter, Prometheus and Grafana, with no secret in the file', () => {
    const { services } = compose();
    for (const name of ['postgres', 'hub', 'kafka-exporter', 'prometheus', 'grafana'])
      expect(services[name], name).toBeDefined();
    expect(services.hub?.environment?.NILECARE_KAFKA_BROKERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
    expect(services.hub?.environment?.NILECARE_HUB_DATABASE_URL).toMatch(
      /\$\{POSTGRES_PASSWORD\}@postgres:5432/,
    );
    // Passwords come from hub.env, which .gitignore keeps out of the repository.
    expect(services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(
      /^\$\{GRAFANA_ADMIN_PASSWORD:\?/,
    );
    expect(readFileSync(resolve(composeFile, '..', '..', '..', '.gitignore'), 'utf8')).toContain(
      'deploy/hub/hub.env',
    );
  });

  it('mounts files that exist in the repository and builds from a Dockerfile that exists', () => {
    const { services } = compose();
    const here = dirname(composeFile);
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (!source.startsWith('.')) continue; // a named volume
        expect(existsSync(resolve(here, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
    const build = services.hub?.build;
    expect(build).toBeDefined();
    expect(existsSync(resolve(here, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
  });
});

function kafkaVersionOfTests(): string {
  const pom = readFileSync(resolve(composeFile, '..', '..', 'dev', 'kafka-pom.xml'), 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new Error('deploy/dev/kafka-pom.xml names no kafka.version');
  return version;
}
