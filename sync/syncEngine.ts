import type { Logger } from 'pino';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { type BackoffPolicy, reconnectDelayMs } from './backoff.ts';
import { createSyncKafka, type SyncKafkaSecurity } from './kafkaClient.ts';
import { pickLane, type SyncLane, syncLanes } from './lanes.ts';
import { bytesOf, type OutgoingRecord, outgoing, takeBatch } from './outgoingBatch.ts';
import { createDeadLettering } from './deadLettering.ts';
import { createLinkState } from './linkState.ts';
import { createPause } from './pause.ts';
import { createProducerSession } from './producerSession.ts';
import { pruneAcknowledged } from './retention.ts';
import { classifySendError, type SendFailure } from './sendErrors.ts';
import { type SendSample, sendRate, withSample } from './sendRate.ts';
import { heartbeatEveryMs } from './syncStatus.ts';
import { createSyncStore } from './syncStore.ts';
import {
  batchBytesUnder,
  budgetOf,
  fullBucket,
  spend,
  type TokenBucket,
  waitBeforeSendingMs,
} from './tokenBucket.ts';
import type { GatewayMetrics, SqliteDatabase } from '../gateway/pluginApi.ts';

/** The sync engine's options, with units (built from GatewayOptions by syncSetup.ts). */
export interface SyncEngineOptions {
  brokers: string[];
  clientId: string;
  /** Put before every topic name. */
  topicPrefix: string;
  /** Record bytes per second; 0: no limit. */
  bandwidthBytesPerSecond: number;
  batchMaxEvents: number;
  /** Bytes before compression. */
  batchMaxBytes: number;
  reconnect: BackoffPolicy;
  /** Milliseconds. */
  requestTimeoutMs: number;
  /** Days; 0: never prune. */
  retentionDays: number;
  /** How often retention runs, in milliseconds. */
  pruneEveryMs?: number;
  /** How long an idle engine waits before looking for events appended by another process, in milliseconds. */
  idlePollMs?: number;
  /** SASL_SSL credentials and CA for the hub's brokers (sync/hubConnection.ts). */
  security?: SyncKafkaSecurity;
}

export interface SyncEngineDeps {
  db: SqliteDatabase;
  metrics: GatewayMetrics;
  logger: Logger;
  /** The gateway clock (timestamps written to the state table). */
  clock: () => Date;
  /** A monotonic clock in milliseconds (rates, bandwidth budget). */
  nowMs?: () => number;
  /** [0, 1): the jitter of the reconnect backoff. */
  random?: () => number;
  /** Calls the listener after each committed append; returns an unsubscribe. */
  onAppended?: (listener: () => void) => () => void;
}

export interface SyncEngine {
  /** Stops sending and closes the producer; the cursors stay where Kafka's acknowledgements put them. */
  stop(): Promise<void>;
  /** Look for new events now (an append happened). */
  wake(): void;
}

const rateWindowMs = 30_000;

interface Unroutable {
  event: ClinicalEvent;
  error: unknown;
}
/** Events pruned per transaction. */
const pruneChunk = 5000;

/**
 * Store-and-forward from the log to Kafka (docs/sync.md). One loop: pick the
 * highest-priority lane with events waiting, read its next batch after its
 * cursor, wait for the bandwidth budget, send (acks=all, gzip, idempotent),
 * and advance the cursor only after Kafka acknowledged. A transient failure
 * backs off with jitter and sends the same events again; a record Kafka
 * refuses for good is isolated by halving the batch and dead-lettered.
 */
export function startSyncEngine(options: SyncEngineOptions, deps: SyncEngineDeps): SyncEngine {
  const { db, metrics, logger, clock } = deps;
  const nowMs = deps.nowMs ?? (() => performance.now());
  const random = deps.random ?? Math.random;
  const store = createSyncStore(db);
  const kafka = createSyncKafka(
    {
      brokers: options.brokers,
      clientId: options.clientId,
      requestTimeoutMs: options.requestTimeoutMs,
      connectionTimeoutMs: Math.min(options.requestTimeoutMs, 5000),
      ...(options.security ? { security: options.security } : {}),
    },
    logger,
  );
  const session = createProducerSession(kafka, options.requestTimeoutMs);
  const pause = createPause();
  const budget = budgetOf(options.bandwidthBytesPerSecond);
  const startedAtMs = nowMs();
  const cursors = store.cursors();
  /** Events per read, per lane: halved while isolating a refused record, grown back after. */
  const laneLimit = Object.fromEntries(syncLanes.map((lane) => [lane, options.batchMaxEvents])) as Record<
    SyncLane,
    number
  >;
  let bucket: TokenBucket | undefined = budget ? fullBucket(budget, nowMs()) : undefined;
  let samples: SendSample[] = [];
  let attempt = 0;
  let lastServed: SyncLane | undefined;
  let stopping = false;
  /** The lane's next records, read while the previous batch was on its way (used only if that lane goes next). */
  let readAhead: { lane: SyncLane; afterSeq: number; records: OutgoingRecord[] } | undefined;

  const iso = () => clock().toISOString();
  const writable = () => db.open && !stopping;
  const link = createLinkState({ db, store, logger, now: iso, brokers: options.brokers });
  const deadLetters = createDeadLettering({
    db,
    store,
    session,
    metrics,
    logger,
    clock,
    topicPrefix: options.topicPrefix,
  });
  const movedPast = (lane: SyncLane, seq: number) => {
    cursors[lane] = seq;
    laneLimit[lane] = options.batchMaxEvents;
  };
  const rate = () => sendRate(samples, nowMs(), rateWindowMs, startedAtMs);

  async function backOff(): Promise<void> {
    await pause.wait(reconnectDelayMs(attempt, options.reconnect, random));
    attempt += 1;
  }

  async function connect(): Promise<boolean> {
    try {
      await session.open();
      if (!link.connected && writable()) link.up();
      return true;
    } catch (error) {
      const failure = classifySendError(error);
      metrics.syncSendErrors.inc({ kind: 'connect', code: failure.code });
      if (writable()) link.unreachable(failure);
      await backOff();
      return false;
    }
  }

  /** The next records of a lane after `afterSeq`, up to the first one that cannot be routed. */
  function recordsAfter(
    lane: SyncLane,
    afterSeq: number,
  ): { records: OutgoingRecord[]; unroutable?: Unroutable } {
    const records: OutgoingRecord[] = [];
    for (const { event, body } of store.readLane(lane, afterSeq, laneLimit[lane])) {
      try {
        records.push(outgoing(event, options.topicPrefix, body));
      } catch (error) {
        return { records, unroutable: { event, error } };
      }
    }
    return { records };
  }

  /** The lane's next batch; an event that cannot be routed is dead-lettered when it comes first. */
  function nextBatch(lane: SyncLane): OutgoingRecord[] {
    const maxBytes = batchBytesUnder(budget, options.batchMaxBytes);
    const ahead = readAhead;
    readAhead = undefined;
    const next =
      ahead && ahead.lane === lane && ahead.afterSeq === cursors[lane] && ahead.records.length > 0
        ? { records: ahead.records }
        : recordsAfter(lane, cursors[lane]);
    if (next.records.length === 0 && next.unroutable) {
      const { event, error } = next.unroutable;
      const refusal = { kind: 'rejected' as const, code: 'UNROUTABLE', message: (error as Error).message };
      const refused = {
        seq: event.seq,
        eventId: event.eventId,
        eventType: event.eventType,
        topic: '',
        recordBytes: 0,
      };
      deadLetters.keep(lane, refused, refusal, false);
      movedPast(lane, event.seq);
      return [];
    }
    return takeBatch(next.records, { maxEvents: laneLimit[lane], maxBytes });
  }

  /** Reads the lane's following records while the batch before them is on its way to Kafka. */
  async function readAheadWhile(lane: SyncLane, afterSeq: number, sending: Promise<void>): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // let kafkajs encode and write first
    const { records } = recordsAfter(lane, afterSeq);
    readAhead = { lane, afterSeq, records };
    await sending;
  }

  function delivered(lane: SyncLane, batch: readonly OutgoingRecord[], bytes: number): void {
    const last = batch.at(-1)!.seq;
    samples = withSample(samples, { atMs: nowMs(), events: batch.length, bytes }, rateWindowMs);
    const { eventsPerSecond, bytesPerSecond } = rate();
    const at = iso();
    if (!db.open) return;
    store.markDelivered(lane, last, {
      lastSuccessAt: at,
      heartbeatAt: at,
      eventsPerSecond,
      bytesPerSecond,
      connected: true,
      ...(link.connected ? {} : { connectedChangedAt: at }),
    });
    link.acknowledged();
    cursors[lane] = last;
    attempt = 0;
    laneLimit[lane] = Math.min(options.batchMaxEvents, laneLimit[lane] * 2);
    const perTopic = new Map<string, number>();
    for (const record of batch) perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + 1);
    for (const [topic, count] of perTopic)
      metrics.syncEventsSent.inc({ lane, topic: topic.slice(options.topicPrefix.length) }, count);
    metrics.syncBytesSent.inc({ lane }, bytes);
  }

  async function refused(lane: SyncLane, batch: readonly OutgoingRecord[], failure: SendFailure) {
    if (batch.length > 1) {
      // Which record? Send the first half next; the refused one ends up alone.
      laneLimit[lane] = Math.max(1, Math.floor(batch.length / 2));
      return;
    }
    await deadLetters.record(lane, batch[0]!, failure);
    if (db.open) movedPast(lane, batch[0]!.seq);
  }

  async function send(lane: SyncLane, batch: readonly OutgoingRecord[]): Promise<void> {
    const bytes = bytesOf(batch);
    if (budget && bucket) bucket = spend(bucket, budget, nowMs(), bytes);
    try {
      const sending = session.send(batch);
      sending.catch(() => undefined);
      await readAheadWhile(lane, batch.at(-1)!.seq, sending);
    } catch (error) {
      readAhead = undefined;
      await session.drop();
      const failure = classifySendError(error);
      metrics.syncSendErrors.inc({ kind: failure.kind, code: failure.code });
      if (!writable()) return;
      if (failure.kind === 'rejected') return refused(lane, batch, failure);
      link.sendFailed(failure);
      await backOff();
      return;
    }
    lastServed = lane;
    delivered(lane, batch, bytes);
  }

  async function step(): Promise<void> {
    if (!session.isOpen && !(await connect())) return;
    if (budget && bucket) {
      const waitMs = waitBeforeSendingMs(bucket, budget, nowMs());
      if (waitMs > 0) return pause.wait(waitMs);
    }
    pause.clearWake();
    const lane = pickLane(store.pendingLanes(cursors), lastServed);
    if (!lane) return pause.wait(options.idlePollMs ?? 1000, { wakeable: true });
    const batch = nextBatch(lane);
    if (batch.length > 0) await send(lane, batch);
  }

  async function run(): Promise<void> {
    store.updateState({
      engine: 'running',
      brokers: options.brokers.join(','),
      connected: false,
      heartbeatAt: iso(),
    });
    while (!stopping) {
      try {
        await step();
      } catch (error) {
        if (!writable()) break;
        logger.error({ err: error }, 'sync engine step failed; retrying');
        await pause.wait(1000);
      }
    }
  }

  const heartbeat = setInterval(() => {
    if (!writable()) return;
    const { eventsPerSecond, bytesPerSecond } = rate();
    store.updateState({ heartbeatAt: iso(), eventsPerSecond, bytesPerSecond });
  }, heartbeatEveryMs);
  heartbeat.unref();

  /** Retention in chunks of one transaction each, yielding between them so appends are not held up. */
  async function prune(): Promise<void> {
    let total = 0;
    for (;;) {
      if (!writable()) return;
      const { pruned, prunedThroughSeq } = pruneAcknowledged(db, pruneChunk);
      total += pruned;
      if (pruned < pruneChunk) {
        if (total > 0)
          logger.info(
            { event: 'sync_pruned', pruned: total, prunedThroughSeq },
            'pruned acknowledged events',
          );
        return;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const pruning =
    options.retentionDays > 0
      ? setInterval(() => {
          prune().catch((error: unknown) => logger.error({ err: error }, 'retention pruning failed'));
        }, options.pruneEveryMs ?? 600_000)
      : undefined;
  pruning?.unref();

  const unsubscribe = deps.onAppended?.(() => pause.wake());
  const running = run().catch((error: unknown) =>
    logger.error({ err: error }, 'sync engine stopped by an error'),
  );
  let stopped: Promise<void> | undefined;

  return {
    wake: () => pause.wake(),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(heartbeat);
        if (pruning) clearInterval(pruning);
        unsubscribe?.();
        pause.stop();
        const settled = (ms: number) =>
          Promise.race([running, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
        await settled(2000);
        await session.close();
        await settled(3000);
        if (db.open) store.updateState({ engine: 'stopped', connected: false, connectedChangedAt: iso() });
      })();
      return stopped;
    },
  };
}
