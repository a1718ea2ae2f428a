import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventDraft } from '../kernel/events/envelope.ts';
import { downstreamGroupId, downstreamTopic } from '../kernel/kafka/kafkaTopics.ts';
import { reconnectDelayMs } from './backoff.ts';
import { ownKeyAssigner } from './downstreamAssigner.ts';
import { type DownstreamDecision, decideDownstream } from './downstreamDecision.ts';
import {
  type RecordInput,
  type RecordOutcome,
  type SqliteDatabase,
  uuidToBytes,
} from '../gateway/pluginApi.ts';

export interface DownstreamDeps {
  kafka: Kafka;
  db: SqliteDatabase;
  record(input: RecordInput): Promise<RecordOutcome>;
  gatewayId: string;
  topicPrefix: string;
  logger: Logger;
  reconnect: { minMs: number; maxMs: number };
  /** Called after each record is settled (tests, metrics). */
  onSettled?: (decision: DownstreamDecision['kind'], eventId?: string) => void;
}

export interface DownstreamConsumer {
  /** Resolves when the consumer has joined its group (never, while Kafka is unreachable). */
  joined: Promise<void>;
  stop(): Promise<void>;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hub to gateway (docs/hub.md, "Hub to gateway"): reads this gateway's
 * records of the downstream topic and appends each hub event to the log
 * through the recorder, with the hub service as its source, once by eventId.
 * The Kafka offset is committed only after the recorder has committed, so a
 * crash between the two reads the record again and the eventId check skips
 * it. Offline, it retries with backoff and never holds up the gateway.
 */
export function startDownstreamConsumer(deps: DownstreamDeps): DownstreamConsumer {
  const { logger } = deps;
  const topic = `${deps.topicPrefix}${downstreamTopic}`;
  const inLog = deps.db.prepare<[Buffer], { one: number }>('SELECT 1 AS one FROM events WHERE event_id = ?');
  let consumer: Consumer | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let release: (() => void) | undefined;
  let joinedResolve: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => {
    joinedResolve = resolve;
  });

  const handle = async ({ partition, message }: EachMessagePayload) => {
    const decision = decideDownstream(
      { key: message.key?.toString() ?? null, value: message.value, headers: message.headers ?? {} },
      deps.gatewayId,
    );
    let settled: DownstreamDecision['kind'] = decision.kind;
    if (decision.kind === 'append') {
      const draft: EventDraft = decision.draft;
      if (uuid.test(draft.eventId) && inLog.get(uuidToBytes(draft.eventId))) settled = 'duplicate';
      else {
        const outcome = await deps.record({
          draft: {
            ...draft,
            metadata: { ...draft.metadata, fromHub: { topic, partition, offset: message.offset } },
          },
          channel: 'internal',
          origin: `kafka ${topic}`,
          raw: message.value ?? undefined,
        });
        if (outcome.status === 'quarantined')
          logger.warn({ code: outcome.code, eventType: draft.eventType }, 'hub event refused; quarantined');
      }
    } else if (decision.kind === 'refused') {
      logger.warn(
        { reason: decision.reason, offset: message.offset },
        'downstream record unreadable; skipped',
      );
    }
    await consumer?.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    deps.onSettled?.(settled, decision.kind === 'append' ? decision.draft.eventId : undefined);
  };

  const run = async () => {
    for (let attempt = 0; !stopped; attempt += 1) {
      try {
        consumer = deps.kafka.consumer({
          groupId: downstreamGroupId(deps.gatewayId),
          partitionAssigners: [ownKeyAssigner(deps.gatewayId)],
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: 1000,
        });
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        const crashed = new Promise<void>((resolve) => {
          release = resolve;
          consumer?.on(consumer.events.CRASH, (event) => {
            logger.warn({ err: event.payload.error }, 'downstream consumer stopped; will retry');
            if (!event.payload.restart) resolve();
          });
          consumer?.on(consumer.events.GROUP_JOIN, () => joinedResolve());
        });
        await consumer.run({ autoCommit: false, eachMessage: handle });
        attempt = -1;
        await crashed;
      } catch (error) {
        if (!stopped) logger.info({ err: error }, 'hub downstream not reachable; will retry');
      }
      await consumer?.disconnect().catch(() => undefined);
      consumer = undefined;
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          resolve,
          reconnectDelayMs(Math.max(0, attempt), deps.reconnect, Math.random),
        );
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const running = run();

  return {
    joined,
    async stop() {
      stopped = true;
      wake?.();
      release?.();
      await consumer?.disconnect().catch(() => undefined);
      await running;
    },
  };
}
