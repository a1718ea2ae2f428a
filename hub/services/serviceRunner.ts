import { CompressionTypes, type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type HubPool, withTransaction } from '../db/hubDatabase.ts';
import { hubMessage } from '../errors.ts';
import type { RetryOptions } from '../hubOptions.ts';
import type { HubMetrics } from '../metrics/hubMetrics.ts';
import { RecordFailed, settleInOrder } from './batchSplit.ts';
import { deadLetterRecord } from './deadLetterRecord.ts';
import type {
  HubService,
  Outcome,
  OutgoingRecord,
  RejectionReason,
  SourceRecord,
  TransactionContext,
} from './hubService.ts';
import { isNotReady } from './notReady.ts';
import { markProcessed } from './processedMarks.ts';
import type { VerdictSignal } from './verdictSignal.ts';
import type { HubProducer } from './hubProducer.ts';
import { enqueueOutgoing, type OutboxRelay } from './outbox.ts';
import { notReadyDelayMs, retryDelayMs } from './retrySchedule.ts';

export interface ServiceRunnerDeps {
  kafka: Kafka;
  pool: HubPool;
  /** Sends dead letters directly when the transaction itself keeps failing (recreated after a failed send). */
  producer: Pick<HubProducer, 'send'>;
  outbox: OutboxRelay;
  metrics: HubMetrics;
  logger: Logger;
  clock: () => Date;
  groupId: string;
  deadLetterTopic: string;
  retry: RetryOptions;
  partitionsConsumedConcurrently: number;
  /**
   * How long a record may stay not ready (NotReadyError: the ingest guard has
   * not verified it yet) before it is dead-lettered, in ms; default 30 minutes.
   */
  notReadyTimeoutMs?: number;
  /**
   * The guard's verdict notifications (verdictSignal.ts): a record not ready
   * yet is tried again when a verdict commits, its backoff only the longest
   * wait. Without it, not-ready records are polled (retrySchedule.ts).
   */
  verdicts?: VerdictSignal;
  /** Most records in one transaction (a Kafka batch is cut into pieces this long); default 500. */
  batchRecords?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ServiceHealth {
  name: string;
  groupId: string;
  running: boolean;
  /** Times the service started a fresh consumer after one crashed for good. */
  restarts?: number;
  lastError?: string;
}

export interface RunningService {
  name: string;
  groupId: string;
  topics: readonly string[];
  health(): ServiceHealth;
  /** Stops consuming after the record in hand, commits what is done; idempotent. */
  close(): Promise<void>;
}

// An idle fetch waits this long for records; stopping waits for it too, so keep it short.
const fetchWaitMs = 1000; // ms
const defaultBatchRecords = 500; // records per transaction: offsets are committed after each
const defaultNotReadyTimeoutMs = 30 * 60_000; // ms: the guard settles a chain within its gap grace time
// A consumer that crashed for good is started again after this, doubling up to the maximum.
const restartInitialDelayMs = 1000; // ms
const restartMaxDelayMs = 30_000; // ms
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one hub service as its own Kafka consumer group. Per batch of a
 * partition's records: one PostgreSQL transaction (handlers + outbox), then
 * the offsets, so a crash replays at most what was not committed and
 * idempotency absorbs the replay (docs/hub.md, "Batches"). A batch that fails
 * is split (batchSplit.ts) down to the record at fault, which is retried
 * alone with backoff, then dead-lettered with HUB_ERR_PROCESSING_FAILED; its
 * neighbours commit and the partition moves on.
 */
export async function startServiceRunner(
  service: HubService,
  deps: ServiceRunnerDeps,
): Promise<RunningService> {
  const { kafka, logger, groupId } = deps;
  const newConsumer = (): Consumer => {
    const created = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: fetchWaitMs });
    created.on(created.events.CRASH, (event) => onCrash(created, event.payload.error, event.payload.restart));
    return created;
  };
  let running = false;
  let stopping = false;
  let lastError: string | undefined;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  /**
   * kafkajs restarts a consumer itself only after errors it counts as
   * retriable. After a broker restart the group coordinator may be gone for a
   * while (KafkaJSGroupCoordinatorNotFound, non-retriable) and the consumer
   * would stay stopped until the hub process restarts: the service starts a
   * fresh consumer itself, with backoff, until it runs or the hub stops
   * (docs/hub.md, "When Kafka restarts"). Offsets are committed only after
   * their transaction, so a restart replays at most what idempotency absorbs.
   */
  function onCrash(crashed: Consumer, error: Error, willRestart: boolean): void {
    lastError = error.message;
    logger.error({ err: error, restart: willRestart }, 'consumer crashed');
    if (willRestart || crashed !== consumer) return;
    running = false;
    scheduleRestart();
  }

  function scheduleRestart(): void {
    if (stopping || restartTimer) return;
    const delayMs = Math.min(restartMaxDelayMs, restartInitialDelayMs * 2 ** Math.min(restarts, 10));
    restarts += 1;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      const previous = consumer;
      consumer = newConsumer();
      void previous
        .disconnect()
        .catch(() => undefined)
        .then(() => startConsuming(consumer))
        .then(() => {
          logger.warn({ restarts }, 'consumer restarted');
        })
        .catch((restartError: unknown) => {
          lastError = restartError instanceof Error ? restartError.message : String(restartError);
          logger.error({ err: restartError }, 'consumer restart failed; trying again');
          scheduleRestart();
        });
    }, delayMs);
  }

  let consumer: Consumer = newConsumer();

  const process = recordProcessor(service, deps, () => stopping);
  const processBatch = batchProcessor(service, deps);
  const batchRecords = deps.batchRecords ?? defaultBatchRecords;

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const records: SourceRecord[] = batch.messages.map((message) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
      headers: message.headers ?? {},
    }));
    for (let start = 0; start < records.length; start += batchRecords) {
      if (!isRunning() || isStale() || stopping) break;
      const chunk = records.slice(start, start + batchRecords);
      const done = await settleInOrder(chunk, {
        whole: processBatch,
        // A record alone may wait (retries, the guard's verdict): the group hears from us after each.
        alone: async (record, failure) => {
          const settled = await process(record, failure);
          if (settled) await heartbeat();
          return settled;
        },
        stopping: () => stopping,
      });
      const last = chunk[done - 1];
      if (last) {
        // Offsets only after the transaction that holds the records' effects committed.
        resolveOffset(last.offset);
        const offset = (BigInt(last.offset) + 1n).toString();
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
      }
      if (done < chunk.length) break; // stopping in the middle of retries: not done
      await heartbeat();
    }
  };

  async function startConsuming(started: Consumer): Promise<void> {
    await started.connect();
    await started.subscribe({ topics: [...service.topics], fromBeginning: true });
    await started.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently,
      eachBatch,
    });
    if (stopping) return;
    running = true;
  }

  await startConsuming(consumer);
  service.start?.();

  let closing: Promise<void> | undefined;
  return {
    name: service.name,
    groupId,
    topics: service.topics,
    health: () => ({
      name: service.name,
      groupId,
      running,
      ...(restarts > 0 ? { restarts } : {}),
      ...(lastError ? { lastError } : {}),
    }),
    close() {
      closing ??= (async () => {
        stopping = true;
        clearTimeout(restartTimer);
        await service.close?.();
        await consumer.disconnect().catch((error: unknown) => logger.warn({ err: error }, 'disconnect'));
        running = false;
      })();
      return closing;
    },
  };
}

/** The per-record work: tries, backoff, and the dead letter when every try failed. Resolves false when stopped. */
function recordProcessor(service: HubService, deps: ServiceRunnerDeps, isStopping: () => boolean) {
  const { metrics, logger, retry } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const labels = { service: service.name };
  const notReadyTimeoutMs = deps.notReadyTimeoutMs ?? defaultNotReadyTimeoutMs;
  return async (record: SourceRecord, failure?: unknown): Promise<boolean> => {
    const done = metrics.processingDuration.startTimer(labels);
    const startedAt = Date.now();
    let lastError: unknown = isNotReady(failure) ? undefined : failure;
    // Its failed try in a batch (batchSplit.ts) counts as the first; one that was not ready is
    // tried again at once, as a verdict may have committed since.
    let attempt = failure !== undefined && !isNotReady(failure) ? 2 : 1; // tries spent on failures
    let waits = 0; // tries that found the record not ready (NotReadyError): they spend no attempt
    let verdictsSeen = deps.verdicts?.count() ?? 0;
    for (;;) {
      const pause = waits + attempt; // the backoff grows with every try, whatever its kind
      if (pause > 1) {
        if (isStopping()) return false;
        metrics.retries.inc(labels);
        if (isNotReady(lastError) && deps.verdicts?.listening())
          await deps.verdicts.wait(verdictsSeen, retryDelayMs(pause, retry, deps.random));
        else
          await sleep(
            isNotReady(lastError)
              ? notReadyDelayMs(waits, attempt, retry, deps.random)
              : retryDelayMs(pause, retry, deps.random),
          );
      }
      verdictsSeen = deps.verdicts?.count() ?? 0;
      try {
        const outcome = await processOnce(service, deps, record);
        metrics.eventsProcessed.inc({ ...labels, outcome });
        done();
        return true;
      } catch (error) {
        lastError = error;
        if (isNotReady(error)) {
          if (Date.now() - startedAt >= notReadyTimeoutMs) break;
          waits += 1;
          logger.debug(
            { topic: record.topic, partition: record.partition, offset: record.offset, code: error.code },
            'record not ready; will try again',
          );
          continue;
        }
        logger.warn(
          { err: error, topic: record.topic, partition: record.partition, offset: record.offset, attempt },
          'record not processed; will retry',
        );
        attempt += 1;
        if (attempt > retry.attempts) break;
      }
    }
    const reason: RejectionReason = isNotReady(lastError)
      ? { code: lastError.code, message: lastError.message }
      : {
          code: 'HUB_ERR_PROCESSING_FAILED',
          message: hubMessage('HUB_ERR_PROCESSING_FAILED', [
            service.name,
            retry.attempts,
            lastError instanceof Error ? lastError.message : String(lastError),
          ]),
        };
    const letter = deadLetterRecord(record, reason, {
      topic: deps.deadLetterTopic,
      service: service.name,
      at: deps.clock(),
    });
    // Straight to Kafka: the transaction that would hold an outbox row is what fails.
    await deps.producer.send({
      topic: letter.topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: letter.key, value: letter.value, headers: letter.headers }],
    });
    logger.error({ topic: record.topic, partition: record.partition, offset: record.offset }, reason.message);
    metrics.eventsFailed.inc({ ...labels, reason: reason.code });
    metrics.deadLettered.inc({ ...labels, reason: reason.code });
    metrics.eventsProcessed.inc({ ...labels, outcome: 'dead_lettered' });
    done();
    return true;
  };
}

/** What a service transaction needs from the process. */
export type TransactionDeps = Pick<
  ServiceRunnerDeps,
  'pool' | 'outbox' | 'metrics' | 'logger' | 'clock' | 'deadLetterTopic'
>;

/**
 * One transaction of a service, with an outbox: what `body` sends or
 * dead-letters is written in the same transaction and sent after commit.
 * Used per batch (and per record alone) by the runner, and by a service's own timers.
 */
export async function serviceTransaction<T>(
  serviceName: string,
  deps: TransactionDeps,
  body: (ctx: TransactionContext) => Promise<T>,
): Promise<T> {
  const outgoing: OutgoingRecord[] = [];
  const afterCommit: (() => void)[] = [];
  const refused: string[] = [];
  const now = deps.clock();
  const result = await withTransaction(deps.pool, async (tx) => {
    const ctx: TransactionContext = {
      tx,
      now,
      send: async (out) => {
        outgoing.push(out);
      },
      deadLetter: async (reason, original) => {
        outgoing.push(
          deadLetterRecord(original, reason, { topic: deps.deadLetterTopic, service: serviceName, at: now }),
        );
        refused.push(reason.code);
      },
      afterCommit: (effect) => {
        afterCommit.push(effect);
      },
    };
    const value = await body(ctx);
    await enqueueOutgoing(tx, serviceName, outgoing);
    return value;
  });
  for (const reason of refused) {
    deps.metrics.eventsFailed.inc({ service: serviceName, reason });
    deps.metrics.deadLettered.inc({ service: serviceName, reason });
  }
  for (const effect of afterCommit) effect();
  if (outgoing.length > 0)
    deps.outbox.flush().catch((error: unknown) => deps.logger.warn({ err: error }, 'outbox not sent yet'));
  return result;
}

/** One try of one record: idempotency by eventId (when the service asks for it), then the handler. */
function processOnce(service: HubService, deps: ServiceRunnerDeps, record: SourceRecord): Promise<Outcome> {
  return serviceTransaction(service.name, deps, async (ctx) => {
    if (
      service.idempotency === 'eventId' &&
      (await markProcessed(ctx.tx, service.name, [record], ctx.now))[0]
    )
      return 'duplicate';
    return service.handle({ ...ctx, record });
  });
}

/**
 * One try of a batch in one transaction: idempotency by eventId in one
 * statement, then the handlers in order; the outcomes are counted after the
 * commit. A handler's failure is thrown as RecordFailed naming its record.
 */
function batchProcessor(service: HubService, deps: ServiceRunnerDeps) {
  const labels = { service: service.name };
  return async (records: readonly SourceRecord[]): Promise<void> => {
    const timers = records.map(() => deps.metrics.processingDuration.startTimer(labels));
    const outcomes = await serviceTransaction(service.name, deps, async (ctx) => {
      const duplicate =
        service.idempotency === 'eventId'
          ? await markProcessed(ctx.tx, service.name, records, ctx.now)
          : records.map(() => false);
      const positions = records.flatMap((_, index) => (duplicate[index] ? [] : [index]));
      let handled: Outcome[];
      try {
        handled = await handleInOrder(
          service,
          ctx,
          positions.map((index) => records[index]!),
        );
      } catch (error) {
        // The handler named a record among those not duplicate: the split needs its place in the batch.
        if (error instanceof RecordFailed) throw new RecordFailed(positions[error.index] ?? -1, error.cause);
        throw error;
      }
      let next = 0;
      return records.map((_, index) => (duplicate[index] ? 'duplicate' : handled[next++]!));
    });
    deps.metrics.batchRecords.observe(labels, records.length);
    for (const [index, outcome] of outcomes.entries()) {
      deps.metrics.eventsProcessed.inc({ ...labels, outcome });
      timers[index]?.();
    }
  };
}

/** The service's batch handler, or its record handler for each record in turn; a failure names its record. */
async function handleInOrder(
  service: HubService,
  ctx: TransactionContext,
  records: readonly SourceRecord[],
): Promise<Outcome[]> {
  if (records.length === 0) return [];
  if (service.handleBatch) return service.handleBatch(ctx, records);
  const out: Outcome[] = [];
  for (const [index, record] of records.entries()) {
    try {
      out.push(await service.handle({ ...ctx, record, batch: records }));
    } catch (error) {
      throw new RecordFailed(index, error);
    }
  }
  return out;
}
