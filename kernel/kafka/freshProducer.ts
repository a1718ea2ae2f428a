import type { Kafka, Producer } from 'kafkajs';

/**
 * One idempotent producer at a time. After any failed send the producer is
 * dropped and the next send opens a fresh one (a new producer id): kafkajs
 * does not advance a partition's idempotence sequence when a request fails as
 * a whole, so reusing it after a partial failure could make the broker take a
 * new batch for a re-sent one. Re-sending with a fresh producer id can only
 * duplicate, and the hub de-duplicates by eventId (docs/architecture.md#guarantee-4). Used by the
 * gateway's sync engine and by the hub's producer.
 */
export function createFreshProducer(kafka: Kafka, newProducer: (kafka: Kafka) => Producer) {
  let producer: Producer | undefined;
  let opening: Promise<Producer> | undefined;
  let closed = false;

  async function open(): Promise<Producer> {
    if (producer) return producer;
    opening ??= (async () => {
      const fresh = newProducer(kafka);
      try {
        await fresh.connect();
        // Closed while connecting: do not leave a producer (and its sockets) behind.
        if (closed) throw new Error('the producer was closed while it connected');
      } catch (error) {
        await fresh.disconnect().catch(() => undefined);
        throw error;
      }
      producer = fresh;
      return fresh;
    })().finally(() => {
      opening = undefined;
    });
    return opening;
  }

  return {
    get isOpen(): boolean {
      return producer !== undefined;
    },
    open,
    /** Runs `send` with the producer; if it fails, the producer is dropped first and the error passed on. */
    async use<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
      const current = await open();
      try {
        return await send(current);
      } catch (error) {
        if (producer === current) producer = undefined;
        await current.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async drop(): Promise<void> {
      const current = producer;
      producer = undefined;
      await current?.disconnect().catch(() => undefined);
    },
    /** Drops the producer for good: one still connecting is disconnected as soon as it connects. */
    async close(): Promise<void> {
      closed = true;
      const current = producer;
      producer = undefined;
      await current?.disconnect().catch(() => undefined);
    },
  };
}

export type FreshProducer = ReturnType<typeof createFreshProducer>;
