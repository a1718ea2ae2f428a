import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadLetterTopic, downstreamTopic, topicTable } from '../../../kernel/kafka/kafkaTopics.ts';
import { desiredTopics } from '../../../hub/topicAdmin/desiredTopics.ts';
import { HubTopicsError } from '../../../hub/topicAdmin/topicErrors.ts';
import { loadTopicsFile, parseTopicsFile } from '../../../hub/topicAdmin/topicsFile.ts';

const shipped = loadTopicsFile();
const raw = () => JSON.parse(JSON.stringify({ ...shipped, source: undefined })) as Record<string, unknown>;

function refusal(run: () => unknown): HubTopicsError {
  try {
    run();
  } catch (error) {
    if (error instanceof HubTopicsError) return error;
    throw error;
  }
  throw new Error('expected a HubTopicsError');
}

describe('deploy/kafka/topics.json', () => {
  it("lists the platform design's ten topics as kernel/kafka/kafkaTopics.ts has them, then the dead-letter and downstream topics", () => {
    expect(shipped.topics.map((topic) => topic.name)).toEqual([
      ...topicTable.map((topic) => topic.name),
      deadLetterTopic,
      downstreamTopic,
    ]);
    for (const spec of topicTable) {
      const entry = shipped.topics.find((topic) => topic.name === spec.name)!;
      expect(entry.retentionDays, spec.name).toBe(spec.retentionDays);
      expect(entry.partitions ?? shipped.defaults.partitions, spec.name).toBe(spec.partitions);
    }
  });

  it('keeps dead letters as long as audit events (7 years), with gzip everywhere', () => {
    const byName = new Map(desiredTopics(shipped, 'dev').map((topic) => [topic.name, topic]));
    expect(byName.get(deadLetterTopic)!.config['retention.ms']).toBe(
      byName.get('audit-events')!.config['retention.ms'],
    );
    expect([...byName.values()].every((topic) => topic.config['compression.type'] === 'gzip')).toBe(true);
  });

  it('has a dev profile (1 replica, min.insync 1) and a deploy profile (3 replicas, min.insync 2)', () => {
    expect(shipped.profiles.dev).toMatchObject({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(shipped.profiles.deploy).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2 });
  });
});

describe('a topics file that breaks the schema', () => {
  it('is refused with the field named: an unknown field', () => {
    const input = raw();
    (input.topics as Record<string, unknown>[])[2]!.retention = '7d';
    const error = refusal(() => parseTopicsFile(input, 'x.json'));
    expect(error.code).toBe('HUB_ERR_TOPICS_FILE_INVALID');
    expect(error.message).toContain('/topics/2 has unknown field "retention"');
  });

  it('is refused with the field named: a missing retention and a wrong partition count', () => {
    const input = raw();
    const topics = input.topics as Record<string, unknown>[];
    delete topics[0]!.retentionDays;
    topics[1]!.partitions = 0;
    const error = refusal(() => parseTopicsFile(input, 'x.json'));
    expect(error.message).toContain('/topics/0 needs "retentionDays"');
    expect(error.message).toContain('/topics/1/partitions must be >= 1');
  });

  it("refuses a setting repeated in a topic's free-form config (retention.ms has its own field)", () => {
    const input = raw();
    (input.topics as Record<string, unknown>[])[0]!.config = { 'retention.ms': '1' };
    expect(refusal(() => parseTopicsFile(input, 'x.json')).code).toBe('HUB_ERR_TOPICS_FILE_INVALID');
  });

  it("accepts other Kafka configs in a topic's config and passes them through", () => {
    const input = raw();
    (input.topics as Record<string, unknown>[])[0]!.config = { 'max.message.bytes': '2097152' };
    const file = parseTopicsFile(input, 'x.json');
    expect(desiredTopics(file, 'dev')[0]!.config['max.message.bytes']).toBe('2097152');
  });
});

describe('a topics file whose meaning is wrong', () => {
  it('refuses a topic listed twice', () => {
    const input = raw();
    const topics = input.topics as Record<string, unknown>[];
    topics.push({ ...topics[0] });
    expect(refusal(() => parseTopicsFile(input, 'x.json')).message).toContain(
      '"clinical-events" is listed twice',
    );
  });

  it('refuses min.insync.replicas above the replication factor, which would refuse every acks=all write', () => {
    const input = raw();
    (input.profiles as Record<string, Record<string, number>>).deploy!.minInsyncReplicas = 4;
    expect(refusal(() => parseTopicsFile(input, 'x.json')).message).toContain(
      '/profiles/deploy/minInsyncReplicas 4 is above its replicationFactor 3',
    );
  });
});

describe('reading a topics file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nilecare-topics-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the path when the file is missing', () => {
    const path = join(dir, 'missing.json');
    const error = refusal(() => loadTopicsFile(path));
    expect(error.code).toBe('HUB_ERR_TOPICS_FILE_UNREADABLE');
    expect(error.message).toContain(path);
  });

  it('says when the file is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "topics": [ ');
    const error = refusal(() => loadTopicsFile(path));
    expect(error.code).toBe('HUB_ERR_TOPICS_FILE_INVALID');
    expect(error.message).toContain('not JSON');
  });
});

describe('profiles and prefixes', () => {
  it('refuses a profile the file does not have, naming those it has', () => {
    const error = refusal(() => desiredTopics(shipped, 'prod'));
    expect(error.code).toBe('HUB_ERR_TOPICS_PROFILE_UNKNOWN');
    expect(error.message).toContain('dev, deploy');
  });

  it('refuses a prefix with characters Kafka does not allow in a topic name, or one that makes names too long', () => {
    expect(refusal(() => desiredTopics(shipped, 'dev', 'a b')).code).toBe('HUB_ERR_TOPICS_PREFIX_INVALID');
    expect(refusal(() => desiredTopics(shipped, 'dev', 'x'.repeat(240))).code).toBe(
      'HUB_ERR_TOPICS_PREFIX_INVALID',
    );
  });

  it("is not fooled by a profile named like an object's own property", () => {
    expect(refusal(() => desiredTopics(shipped, 'constructor')).code).toBe('HUB_ERR_TOPICS_PROFILE_UNKNOWN');
  });
});
