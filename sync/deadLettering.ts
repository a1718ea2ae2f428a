import type { Logger } from 'pino';
import { deadLetterTopic } from '../kernel/kafka/kafkaTopics.ts';
import type { SyncLane } from './lanes.ts';
import type { OutgoingRecord } from './outgoingBatch.ts';
import type { ProducerSession } from './producerSession.ts';
import { classifySendError, type SendFailure } from './sendErrors.ts';
import { SyncError } from './syncErrors.ts';
import type { SyncStore } from './syncStore.ts';
import { toDeadLetterNotice } from '../kernel/kafka/wireFormat.ts';
import type { GatewayMetrics, SqliteDatabase } from '../gateway/pluginApi.ts';

export interface DeadLetteringDeps {
  db: SqliteDatabase;
  store: SyncStore;
  session: ProducerSession;
  metrics: GatewayMetrics;
  logger: Logger;
  clock: () => Date;
  topicPrefix: string;
}

/** The facts of an event Kafka will not take (an unroutable one has no record). */
export interface RefusedEvent {
  seq: number;
  eventId: string;
  eventType: string;
  topic: string;
  recordBytes: number;
}

/**
 * What happens to an event Kafka refuses for good (it goes to a local
 * dead-letter table with the reason and never blocks the lane, docs/sync.md): a notice to
 * the hub's dead-letter topic, best effort and without the event's data, so
 * the hub can explain the hole in this gateway's seq; then, in one
 * transaction, the dead-letter row and the lane's cursor past it.
 */
export function createDeadLettering({
  db,
  store,
  session,
  metrics,
  logger,
  clock,
  topicPrefix,
}: DeadLetteringDeps) {
  function keep(lane: SyncLane, refused: RefusedEvent, failure: SendFailure, hubNotified: boolean): void {
    if (!db.open) return;
    const reason = new SyncError('SYNC_ERR_RECORD_REJECTED', [
      refused.seq,
      `${failure.code}: ${failure.message}`,
    ]);
    store.markDeadLettered({
      ...refused,
      lane,
      reasonCode: failure.code,
      reason: reason.message,
      failedAt: clock().toISOString(),
      hubNotified,
    });
    metrics.syncDeadLettered.inc({ lane, reason: failure.code });
    logger.warn(
      { event: 'sync_dead_letter', seq: refused.seq, eventType: refused.eventType, code: failure.code },
      reason.message,
    );
  }

  async function notifyHub(record: OutgoingRecord, failure: SendFailure): Promise<boolean> {
    const notice = toDeadLetterNotice(
      record.event,
      { code: failure.code, message: failure.message, recordBytes: record.bytes },
      { topic: `${topicPrefix}${deadLetterTopic}`, originalTopic: record.topic, at: clock() },
    );
    try {
      await session.sendOne(notice.topic, { key: notice.key, value: notice.value, headers: notice.headers });
      return true;
    } catch (error) {
      await session.drop();
      logger.warn({ seq: record.seq, code: classifySendError(error).code }, 'dead-letter notice not sent');
      return false;
    }
  }

  return {
    /** An event that cannot even become a record (its type left the catalogue). */
    keep,
    /** A record Kafka refused alone: tell the hub, then keep it. */
    async record(lane: SyncLane, record: OutgoingRecord, failure: SendFailure): Promise<void> {
      const hubNotified = await notifyHub(record, failure);
      keep(
        lane,
        {
          seq: record.seq,
          eventId: record.eventId,
          eventType: record.eventType,
          topic: record.topic,
          recordBytes: record.bytes,
        },
        failure,
        hubNotified,
      );
    },
  };
}
