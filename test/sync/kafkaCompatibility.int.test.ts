import { CompressionTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka, uniqueTopic } from '../harness/kafka.ts';

// Kafka 4 removed old protocol versions (KIP-896); kafkajs 2.2.4 negotiates
// versions. These are the calls the sync engine and the hub rely on, proven
// against the broker version pinned in deploy/dev/kafka-pom.xml.
describe('kafkajs against the pinned Kafka broker', () => {
  const kafka = testKafka('compatibility');
  const admin = kafka.admin();
  const topic = uniqueTopic('compat');

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 4,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '604800000' }],
        },
      ],
    });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('sends with an idempotent, acks=all, gzip producer and reads every record back, in order per key, through a consumer group', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 200 }, (_, i) => ({
      key: `patient-${i % 5}`,
      value: JSON.stringify({ n: i }),
      headers: { ce_id: `e-${i}` },
    }));
    const acks = await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
    await producer.disconnect();
    expect(acks.every((ack) => ack.errorCode === 0)).toBe(true);

    const consumer = kafka.consumer({ groupId: uniqueTopic('compat-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: { key: string; n: number; ceId: string }[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key!.toString(),
            n: (JSON.parse(message.value!.toString()) as { n: number }).n,
            ceId: message.headers!.ce_id!.toString(),
          });
          if (seen.length === messages.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toHaveLength(200);
    for (let key = 0; key < 5; key += 1) {
      const ns = seen.filter((record) => record.key === `patient-${key}`).map((record) => record.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    expect(new Set(seen.map((record) => record.ceId)).size).toBe(200);
  });

  it('describes topic configuration and offsets (what topic drift checks and lag metrics use)', async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    });
    const retention = described.resources[0]!.configEntries.find(
      (entry) => entry.configName === 'retention.ms',
    );
    expect(retention?.configValue).toBe('604800000');
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets).toHaveLength(4);
  });
});
