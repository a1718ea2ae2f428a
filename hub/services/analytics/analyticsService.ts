import type { HubTopics } from '../../hubTopicNames.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import { RecordFailed } from '../batchSplit.ts';
import { type GuardedEvent, guardedEvent } from '../guardedEvents.ts';
import type { HubService, Outcome } from '../hubService.ts';
import { countEvents, type EventToCount } from './analyticsCounts.ts';

export const analyticsServiceName = 'analytics';

/**
 * Event counts per type and facility in 5-minute tumbling windows of event
 * time (the platform design's stream-processing query), kept in PostgreSQL. A late event
 * counts in the window of its own time, however late it arrives; each event
 * counts once (analytics_events, keyed by eventId), so redelivery and restarts
 * change nothing. The same table answers the correlation query. A batch is
 * counted in two statements (analyticsCounts.ts).
 */
export function createAnalyticsService(deps: {
  topics: HubTopics;
  /** The ingest guard's publisher policy, to judge the hub's own events as the guard does. */
  policy: PublisherPolicy;
  timers?: { start(): void; stop(): Promise<void> };
}): HubService {
  return {
    name: analyticsServiceName,
    topics: deps.topics.events,
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: analyticsServiceName, policy: deps.policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      const counted = await countEvents(ctx.tx, [
        { index: 0, event: guarded.event, topic: ctx.record.topic },
      ]);
      return counted.has(0) ? 'counted' : 'duplicate';
    },
    async handleBatch(ctx, records) {
      const outcomes: Outcome[] = [];
      const toCount: EventToCount[] = [];
      for (const [index, record] of records.entries()) {
        let guarded: GuardedEvent;
        try {
          guarded = await guardedEvent(
            { ...ctx, record, batch: records },
            { service: analyticsServiceName, policy: deps.policy },
          );
        } catch (error) {
          throw new RecordFailed(index, error);
        }
        outcomes.push(guarded.kind === 'skip' ? guarded.outcome : 'counted');
        if (guarded.kind !== 'skip') toCount.push({ index, event: guarded.event, topic: record.topic });
      }
      const counted = await countEvents(ctx.tx, toCount);
      for (const { index } of toCount) if (!counted.has(index)) outcomes[index] = 'duplicate';
      return outcomes;
    },
    start: () => deps.timers?.start(),
    close: async () => deps.timers?.stop(),
  };
}
