import { CompressionTypes, type Message } from 'kafkajs';
import type { Logger } from 'pino';
import { type HubPool, type HubTx, withTransaction } from '../db/hubDatabase.ts';
import type { OutgoingRecord } from './hubService.ts';
import type { HubProducer } from './hubProducer.ts';

/** Writes records to send in the caller's transaction, in one statement: they leave only if it commits. */
export async function enqueueOutgoing(tx: HubTx, service: string, records: readonly OutgoingRecord[]) {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO hub_outbox (service, topic, key, value, headers)
     SELECT $1, topic, key, value, headers FROM unnest($2::text[], $3::text[], $4::bytea[], $5::jsonb[])
       WITH ORDINALITY AS r (topic, key, value, headers, n) ORDER BY n`,
    [
      service,
      records.map((record) => record.topic),
      records.map((record) => record.key),
      records.map((record) =>
        typeof record.value === 'string' ? Buffer.from(record.value, 'utf8') : record.value,
      ),
      records.map((record) => JSON.stringify(record.headers)),
    ],
  );
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface OutboxRelay {
  /** Sends everything committed so far; resolves when Kafka has acknowledged it. */
  flush(): Promise<number>;
  /** Rows not yet sent. */
  pending(): Promise<number>;
  /** Sweeps every `intervalMs` for rows a failed or interrupted flush left. */
  start(): void;
  /** Stops the sweep and sends what is left (before the producer and pool close). */
  stop(): Promise<void>;
}

const batchSize = 500; // rows per Kafka request

/**
 * Sends the outbox to Kafka: rows are locked (SKIP LOCKED, so two hubs share
 * the work), sent with acks=all, and deleted in the same transaction. A crash
 * after Kafka's ack and before the delete sends a row twice: consumers
 * de-duplicate by eventId (hub events) or by original topic/partition/offset
 * (dead letters).
 */
export function createOutboxRelay(deps: {
  pool: HubPool;
  /** Recreated after a failed send (hubProducer.ts): a failed flush is retried with a fresh producer id. */
  producer: Pick<HubProducer, 'sendBatch'>;
  logger: Logger;
  intervalMs: number;
}): OutboxRelay {
  const { pool, producer, logger } = deps;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const sendBatch = () =>
    withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        'SELECT id, topic, key, value, headers FROM hub_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const messages = byTopic.get(row.topic) ?? [];
        messages.push({ key: row.key, value: row.value, headers: row.headers });
        byTopic.set(row.topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.GZIP,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await tx.query('DELETE FROM hub_outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      return rows.length;
    });

  const drain = async () => {
    let sent = 0;
    do {
      again = false;
      for (let batch = await sendBatch(); batch > 0; batch = await sendBatch()) sent += batch;
    } while (again);
    return sent;
  };

  const flush = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    flush,
    async pending() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_outbox');
      return rows[0]?.n ?? 0;
    },
    start() {
      timer ??= setInterval(() => {
        flush().catch((error: unknown) => logger.warn({ err: error }, 'outbox not sent yet; will retry'));
      }, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      // A last flush on a clean stop; what it cannot send stays for the next start.
      await flush().catch((error: unknown) => logger.warn({ err: error }, 'outbox left for the next start'));
    },
  };
}
