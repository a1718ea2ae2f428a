import type { EventDraft } from '../../../kernel/events/envelope.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import { guardedEvent } from '../guardedEvents.ts';
import type { HubService, ServiceContext } from '../hubService.ts';
import { windowStart } from './tumblingWindow.ts';

export const analyticsServiceName = 'analytics';

/**
 * Event counts per type and facility in 5-minute tumbling windows of event
 * time (the platform design's stream-processing query), kept in PostgreSQL. A late event
 * counts in the window of its own time, however late it arrives; each event
 * counts once (analytics_events, keyed by eventId), so redelivery and restarts
 * change nothing. The same table answers the correlation query.
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
      return (await countEvent(ctx, guarded.event)) ? 'counted' : 'duplicate';
    },
    start: () => deps.timers?.start(),
    close: async () => deps.timers?.stop(),
  };
}

async function countEvent(
  ctx: ServiceContext,
  event: EventDraft & { gatewayId?: string; seq?: number },
): Promise<boolean> {
  const eventTime = new Date(event.timestamp);
  const inserted = await ctx.tx.query(
    `INSERT INTO analytics_events (event_id, event_type, facility_id, tenant_id, event_time, correlation_id,
       causation_id, gateway_id, seq, source, topic)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id) DO NOTHING`,
    [
      event.eventId,
      event.eventType,
      event.facilityId,
      event.tenantId,
      eventTime,
      event.correlationId ?? null,
      event.causationId ?? null,
      event.gatewayId ?? null,
      event.seq ?? null,
      event.source,
      ctx.record.topic,
    ],
  );
  if ((inserted.rowCount ?? 0) === 0) return false;
  await ctx.tx.query(
    `INSERT INTO analytics_event_counts (window_start, event_type, facility_id, count) VALUES ($1, $2, $3, 1)
     ON CONFLICT (window_start, event_type, facility_id)
     DO UPDATE SET count = analytics_event_counts.count + 1`,
    [windowStart(eventTime), event.eventType, event.facilityId],
  );
  return true;
}
