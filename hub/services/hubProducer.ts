import type { Kafka, Producer } from 'kafkajs';
import { createFreshProducer } from '../../kernel/kafka/freshProducer.ts';

/** What the hub sends with: the outbox relay and the service runner's direct dead letters. */
export type HubProducer = Pick<Producer, 'send' | 'sendBatch'> & {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
};

/**
 * The hub's idempotent producer, recreated after any failed send, as the sync
 * engine does (kernel/kafka/freshProducer.ts): kafkajs does not advance a
 * partition's idempotence sequence when a request fails as a whole, so the
 * same producer could later have the broker take a new record for a re-sent
 * one, or refuse it as out of order. A fresh producer id can only duplicate,
 * and every consumer de-duplicates (docs/architecture.md#guarantee-4).
 */
export function createHubProducer(
  kafka: Kafka,
  newProducer: (kafka: Kafka) => Producer = (client) =>
    client.producer({ idempotent: true, maxInFlightRequests: 1 }),
): HubProducer {
  const session = createFreshProducer(kafka, newProducer);
  return {
    async connect() {
      await session.open();
    },
    send: (record) => session.use((producer) => producer.send(record)),
    sendBatch: (batch) => session.use((producer) => producer.sendBatch(batch)),
    disconnect: () => session.close(),
  };
}
