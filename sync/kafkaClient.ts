import { Kafka, type KafkaConfig, type LogEntry, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';

export interface SyncKafkaConfig {
  brokers: string[];
  clientId: string;
  /** How long one request may take, in milliseconds. */
  requestTimeoutMs: number;
  /** How long opening a TCP connection may take, in milliseconds. */
  connectionTimeoutMs: number;
  /** SASL_SSL to the hub (a provisioned gateway, docs/operations.md "Kafka security"); none: PLAINTEXT. */
  security?: SyncKafkaSecurity;
}

/** TLS (trusting the hub's CA) and SCRAM credentials of the gateway's own Kafka principal. */
export interface SyncKafkaSecurity {
  /** PEM CA certificates; empty: the system's trust store. */
  ca: string[];
  sasl: { mechanism: 'scram-sha-512' | 'scram-sha-256'; username: string; password: string };
}

/** The kafkajs `ssl`/`sasl` settings of a secured connection (pure). */
export function kafkaSecurityConfig(
  security: SyncKafkaSecurity | undefined,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const { mechanism, username, password } = security.sasl;
  return {
    ssl: security.ca.length > 0 ? { ca: security.ca, rejectUnauthorized: true } : true,
    // kafkajs types each mechanism separately, hence the two literal branches.
    sasl:
      mechanism === 'scram-sha-512'
        ? { mechanism: 'scram-sha-512', username, password }
        : { mechanism: 'scram-sha-256', username, password },
  };
}

/**
 * kafkajs' own retries are kept short: a send that fails after them is
 * retried by the engine after its backoff (with a fresh producer), which
 * also keeps the engine free to re-check the alert lane between attempts.
 */
const clientRetry = { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 };

/**
 * The kafkajs client of the sync engine. kafkajs logs go to pino at debug:
 * while the clinic is offline kafkajs reports every failed connection, and
 * the engine itself reports each change of state once.
 */
export function createSyncKafka(config: SyncKafkaConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    retry: clientRetry,
    ...kafkaSecurityConfig(config.security),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger.debug({ namespace, kafkajsLevel: level, ...extra }, message);
      },
  });
}

/**
 * The sync producer (docs/architecture.md#guarantee-4): idempotent (the broker drops kafkajs' own
 * retries of a batch it already wrote), one request in flight (so a retry
 * cannot reorder a partition), the Java client's partitioner (murmur2 of the
 * key: a patient's events land on the partition any Kafka tool expects), no
 * topic auto-creation (topics come from `nilecare hub topics apply`).
 * acks=all and gzip are set on each send (sendBatch's `acks` and `compression`).
 */
export function createSyncProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: clientRetry,
  });
}
