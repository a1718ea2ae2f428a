import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { deadLetterTopic, topicNames } from '../kernel/kafka/kafkaTopics.ts';

const run = promisify(execFile);
const script = new URL('../deploy/dev/kafka.sh', import.meta.url).pathname;

export interface BenchKafka {
  brokers: string[];
  /** The broker's data folder when this run started it (for bytes on disk), else undefined. */
  logDir: string | undefined;
  createTopics(prefix: string, partitions: number): Promise<void>;
  deleteTopics(prefix: string): Promise<void>;
  /** Bytes of the record batches the broker stored for the topics under `prefix` (needs logDir). */
  bytesOnDisk(prefix: string): number | undefined;
  stop(): Promise<void>;
}

const allTopics = (prefix: string) => [...topicNames, deadLetterTopic].map((topic) => `${prefix}${topic}`);

/** Bytes of the segment files (`*.log`) under a folder: the index files are preallocated and sparse. */
function segmentBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += segmentBytes(full);
    else if (entry.name.endsWith('.log')) total += statSync(full).size;
  }
  return total;
}

/** Resolves once every partition of `topics` has a leader. */
export async function leadersOf(admin: Admin, topics: string[], partitions: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await admin
      .fetchTopicMetadata({ topics })
      .then((metadata) =>
        metadata.topics.every(
          (topic) => topic.partitions.length === partitions && topic.partitions.every((p) => p.leader >= 0),
        ),
      )
      .catch(() => false);
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** KAFKA_BROKERS when set, else a single broker from deploy/dev/kafka.sh for this run. */
export async function benchKafka(): Promise<BenchKafka> {
  let brokers = process.env.KAFKA_BROKERS?.split(',');
  let dir: string | undefined;
  if (!brokers) {
    dir = mkdtempSync(join(tmpdir(), 'nilecare-bench-kafka-'));
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 240_000 });
    brokers = [/KAFKA_BROKERS=(\S+)/.exec(stdout)![1]!];
  }
  const kafka = new Kafka({
    clientId: 'bench-sync-admin',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 12 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    brokers,
    logDir: dir ? join(dir, 'logs') : undefined,
    async createTopics(prefix, partitions) {
      // kafkajs' waitForLeaders can fail on metadata that has not reached the broker's cache
      // yet (UNKNOWN_TOPIC_OR_PARTITION, outside its retry): create, then poll the leaders.
      const topics = allTopics(prefix);
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
      await leadersOf(admin, topics, partitions);
    },
    async deleteTopics(prefix) {
      await admin.deleteTopics({ topics: allTopics(prefix) }).catch(() => undefined);
    },
    bytesOnDisk(prefix) {
      if (!dir) return undefined;
      const logs = join(dir, 'logs');
      return readdirSync(logs)
        .filter((name) => name.startsWith(prefix))
        .reduce((sum, name) => sum + segmentBytes(join(logs, name)), 0);
    },
    async stop() {
      await admin.disconnect();
      if (!dir) return;
      await run('bash', [script, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
