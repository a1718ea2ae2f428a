import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { HubTopicsError } from './topicErrors.ts';

/** The declarative topics file: deploy/kafka/topics.json, validated by deploy/kafka/topics.schema.json. */
export const defaultTopicsFilePath = fileURLToPath(
  new URL('../../deploy/kafka/topics.json', import.meta.url),
);
const schemaPath = fileURLToPath(new URL('../../deploy/kafka/topics.schema.json', import.meta.url));

export type Compression = 'gzip' | 'snappy' | 'lz4' | 'zstd' | 'uncompressed' | 'producer';
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

/** A cluster shape: how many copies of each partition, and how many must hold a write before acks=all. */
export interface TopicsProfile {
  description?: string;
  replicationFactor: number;
  minInsyncReplicas: number;
}

export interface TopicEntry {
  name: string;
  retentionDays: number;
  partitions?: number;
  compression?: Compression;
  cleanupPolicy?: CleanupPolicy;
  note?: string;
  /** Other Kafka topic configs, as Kafka spells them. */
  config?: Record<string, string>;
}

export interface TopicsFile {
  /** Where it was read from, for messages. */
  source: string;
  defaults: { partitions: number; compression: Compression; cleanupPolicy: CleanupPolicy };
  profiles: Record<string, TopicsProfile>;
  topics: TopicEntry[];
}

let validateShape: ReturnType<Ajv2020['compile']> | undefined;

function shapeValidator(): ReturnType<Ajv2020['compile']> {
  if (!validateShape) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    validateShape = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  }
  return validateShape;
}

function describeIssue(error: ErrorObject): string {
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    return `${where} has unknown field "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'required') return `${where} needs "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'propertyNames') return `${where} has a field name that is not allowed`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** Rules the schema cannot say: unique names, and min.insync.replicas within the replication factor. */
function meaningIssues(file: Omit<TopicsFile, 'source'>): string[] {
  const issues: string[] = [];
  const seen = new Set<string>();
  file.topics.forEach((topic, index) => {
    if (seen.has(topic.name)) issues.push(`/topics/${index}/name "${topic.name}" is listed twice`);
    seen.add(topic.name);
  });
  for (const [name, profile] of Object.entries(file.profiles)) {
    // With min.insync.replicas above the replica count, every acks=all write is refused.
    if (profile.minInsyncReplicas > profile.replicationFactor) {
      issues.push(
        `/profiles/${name}/minInsyncReplicas ${profile.minInsyncReplicas} is above its replicationFactor ${profile.replicationFactor}`,
      );
    }
  }
  return issues;
}

/** Checks a parsed topics file against the schema and the rules above; the error names each field. */
export function parseTopicsFile(input: unknown, source: string): TopicsFile {
  const validate = shapeValidator();
  if (!validate(input)) {
    const issues = (validate.errors ?? []).map(describeIssue);
    throw new HubTopicsError('HUB_ERR_TOPICS_FILE_INVALID', [source, issues.join('; ')], { issues });
  }
  const file = input as Omit<TopicsFile, 'source'>;
  const issues = meaningIssues(file);
  if (issues.length > 0) {
    throw new HubTopicsError('HUB_ERR_TOPICS_FILE_INVALID', [source, issues.join('; ')], { issues });
  }
  return { source, defaults: file.defaults, profiles: file.profiles, topics: file.topics };
}

/** Reads and checks a topics file (deploy/kafka/topics.json unless told otherwise). */
export function loadTopicsFile(path: string = defaultTopicsFilePath): TopicsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HubTopicsError('HUB_ERR_TOPICS_FILE_UNREADABLE', [path, (error as Error).message]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new HubTopicsError('HUB_ERR_TOPICS_FILE_INVALID', [path, `not JSON: ${(error as Error).message}`]);
  }
  return parseTopicsFile(input, path);
}
