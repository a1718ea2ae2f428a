import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { GatewayServices } from '../gateway/gatewayServices.ts';
import { type OutgoingRecord, outgoing, takeBatch, topicMessages } from '../sync/outgoingBatch.ts';

/**
 * The sync benchmark's baseline (docs/benchmarks.md): a raw kafkajs producer loop sending the same
 * records (serialised before the clock starts, 100,000 at a time) with the
 * same batch size, acks, compression, idempotence and one request in flight.
 * Only the sends are timed.
 */
export async function rawKafkajsDrain(
  services: GatewayServices,
  brokers: string[],
  prefix: string,
  batchEvents: number,
): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
  const kafka = new Kafka({ clientId: 'bench-sync-raw', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let sentEvents = 0;
  let timedMs = 0;
  const chunk = 100_000;
  let next = 1;
  for (;;) {
    const events = services.log.readFrom(next, chunk);
    if (events.length === 0) break;
    next = events.at(-1)!.seq + 1;
    const records = events.map((event) => outgoing(event, prefix));
    const batches: OutgoingRecord[][] = [];
    for (let at = 0; at < records.length; ) {
      const batch = takeBatch(records.slice(at, at + batchEvents), {
        maxEvents: batchEvents,
        maxBytes: 512 * 1024,
      });
      batches.push(batch);
      at += batch.length;
    }
    const prepared = batches.map(topicMessages);
    const started = performance.now();
    for (const topicMessagesOfBatch of prepared)
      await producer.sendBatch({
        topicMessages: topicMessagesOfBatch,
        acks: -1,
        compression: CompressionTypes.GZIP,
      });
    timedMs += performance.now() - started;
    sentEvents += records.length;
  }
  await producer.disconnect();
  const seconds = timedMs / 1000;
  return { events: sentEvents, seconds, eventsPerSecond: sentEvents / seconds };
}
