import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { createFreshProducer } from '../kernel/kafka/freshProducer.ts';
import { createSyncProducer } from './kafkaClient.ts';
import { type OutgoingRecord, topicMessages } from './outgoingBatch.ts';

/**
 * The sync engine's producer: a fresh producer after any failed send
 * (kernel/kafka/freshProducer.ts), and sends with acks=all and gzip.
 */
export function createProducerSession(
  kafka: Kafka,
  requestTimeoutMs: number,
  newProducer: (kafka: Kafka) => Producer = createSyncProducer,
) {
  const fresh = createFreshProducer(kafka, newProducer);
  const { open } = fresh;
  return {
    get isOpen(): boolean {
      return fresh.isOpen;
    },
    open,
    use: fresh.use,
    drop: fresh.drop,
    close: fresh.close,
    /** Sends the records with acks=all and gzip; resolves once Kafka acknowledged every one. */
    async send(records: readonly OutgoingRecord[]): Promise<void> {
      const current = await open();
      await current.sendBatch({
        topicMessages: topicMessages(records),
        acks: -1,
        compression: CompressionTypes.GZIP,
        timeout: requestTimeoutMs,
      });
    },
    async sendOne(topic: string, message: Message): Promise<void> {
      const current = await open();
      await current.send({
        topic,
        messages: [message],
        acks: -1,
        compression: CompressionTypes.GZIP,
        timeout: requestTimeoutMs,
      });
    },
  };
}

export type ProducerSession = ReturnType<typeof createProducerSession>;
