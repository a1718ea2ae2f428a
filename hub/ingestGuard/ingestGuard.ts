import type { Logger } from 'pino';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { HubPool } from '../db/hubDatabase.ts';
import { hubMessage } from '../errors.ts';
import type { HubTopics } from '../hubTopicNames.ts';
import type { HubService, Outcome, ServiceContext, SourceRecord } from '../services/hubService.ts';
import { serviceTransaction, type TransactionDeps } from '../services/serviceRunner.ts';
import { reportDueGaps, settleFromHead, settleLate } from './chainSettlement.ts';
import { parseDeadLetterNotice } from './deadLetterNotice.ts';
import { explainReportedGaps, recordNotice } from './explainedHoles.ts';
import { clockOffsetMs, clockWentBackwards } from './gatewayClock.ts';
import { type GuardConfig, type GuardEffects, guardEffects, ingestGuardName } from './guardEffects.ts';
import {
  eventAt,
  eventById,
  gatewaysWaitingSince,
  insertEvent,
  lockChain,
  recordClock,
  refusedBefore,
} from './ingestStore.ts';
import type { PublisherPolicy } from './publisherPolicy.ts';
import { contentProblem, type DecodedRecord, decodeRecord } from './recordChecks.ts';
import { settleGuardBatch } from './guardBatch.ts';

export interface IngestGuardDeps extends Omit<GuardConfig, 'complianceTopic'> {
  topics: HubTopics;
  policy: PublisherPolicy;
  pool: HubPool;
  transaction: TransactionDeps;
  gapGraceMs: number;
  gapCheckIntervalMs: number;
  logger: Logger;
}

export interface IngestGuard extends HubService {
  /**
   * The guard's reader of the dead-letter topic, run as its own consumer group
   * (`ingest-guard-notices`): a gateway's notice there explains a hole in its
   * seq. Apart from the event topics, so the guard's own dead letters never
   * share its partitions' turns with the events it is settling.
   */
  notices: HubService;
  /** Reports the holes whose grace time is over (graceMs 0: every hole now); returns how many. */
  checkGaps(options?: { graceMs?: number; gatewayId?: string }): Promise<number>;
  /** Sets the gauges read from PostgreSQL (waiting events, clock offsets). */
  refreshGauges(): Promise<void>;
}

/**
 * The ingest guard (docs/architecture.md#guarantee-4 and #guarantee-8): every gateway event on the
 * ten topics is decoded, checked against the catalogue and the publisher
 * policy, stored once by eventId under (gatewayId, seq), and linked into its
 * gateway's hash chain; refusals go to the dead-letter topic and raise
 * compliance_violation_detected.
 */
export function createIngestGuard(deps: IngestGuardDeps): IngestGuard {
  const config: GuardConfig = { ...deps, complianceTopic: deps.topics.compliance };
  const onClockReset = (gatewayId: string) => deps.metrics.clockResets.inc({ gateway_id: gatewayId });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;

  const checkGaps = async (options: { graceMs?: number; gatewayId?: string } = {}) => {
    const graceMs = options.graceMs ?? deps.gapGraceMs;
    const since = new Date(deps.transaction.clock().getTime() - graceMs);
    const gateways = options.gatewayId ? [options.gatewayId] : await gatewaysWaitingSince(deps.pool, since);
    let reported = 0;
    for (const gatewayId of gateways) {
      reported += await serviceTransaction(ingestGuardName, deps.transaction, (ctx) =>
        reportDueGaps(guardEffects(ctx, config), gatewayId, graceMs, onClockReset),
      );
    }
    if (reported > 0) deps.metrics.sequenceGaps.inc(reported);
    return reported;
  };

  return {
    name: ingestGuardName,
    topics: deps.topics.events,
    idempotency: 'handler',
    handle: (ctx) => handleRecord(ctx, guardEffects(ctx, config), deps, onClockReset),
    handleBatch: (ctx, records) => {
      const effects = guardEffects(ctx, config);
      const recordPath = (record: SourceRecord, decoded: DecodedRecord) =>
        handleRecord({ ...ctx, record }, effects, deps, onClockReset, decoded);
      return settleGuardBatch(effects, records, deps.policy, recordPath, onClockReset);
    },
    notices: {
      name: `${ingestGuardName}-notices`,
      topics: [deps.topics.deadLetter],
      idempotency: 'handler',
      handle: (ctx) => handleNotice(ctx, guardEffects(ctx, config), deps, onClockReset),
    },
    checkGaps,
    start() {
      timer ??= setInterval(() => {
        sweeping ??= checkGaps()
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'gap check failed; will retry'))
          .finally(() => {
            sweeping = undefined;
          });
      }, deps.gapCheckIntervalMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping;
    },
    async refreshGauges() {
      const waiting = await deps.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM gateway_events WHERE chain = 'awaiting'`,
      );
      deps.metrics.awaitingPredecessor.set(waiting.rows[0]?.n ?? 0);
      const clocks = await deps.pool.query<{ gateway_id: string; offset_ms: string | null }>(
        'SELECT gateway_id, clock_offset_min_ms AS offset_ms FROM gateway_chains',
      );
      for (const { gateway_id, offset_ms } of clocks.rows)
        if (offset_ms !== null) deps.metrics.clockOffset.set({ gateway_id }, Number(offset_ms) / 1000);
    },
  };
}

/**
 * A gateway dead-lettered an event Kafka refused for good and said so on the
 * dead-letter topic (sync/deadLettering.ts). Its seq will never arrive: the
 * hole is recorded as explained, and the chain steps over it with the hash
 * the notice gives, so the events after it are linked and accepted instead of
 * being reported as a gap. A notice that comes after its gap was reported
 * explains that gap, and the event after it is linked after all.
 */
async function handleNotice(
  ctx: ServiceContext,
  effects: GuardEffects,
  deps: IngestGuardDeps,
  onClockReset: (gatewayId: string) => void,
): Promise<Outcome> {
  const notice = parseDeadLetterNotice(ctx.record);
  if (!notice) return 'not_a_notice'; // the hub's own dead letters share the topic
  const head = await lockChain(ctx.tx, notice.gatewayId, ctx.now);
  if (!(await recordNotice(ctx.tx, notice, ctx.now))) return 'duplicate';
  if (notice.seq > head.headSeq) await settleFromHead(effects, notice.gatewayId, head, onClockReset);
  else if ((await explainReportedGaps(ctx.tx, notice.gatewayId, notice.seq, ctx.now)) > 0)
    await settleLate(effects, notice.gatewayId, notice.seq + 1, onClockReset);
  const { gatewayId, seq, eventType, reasonCode } = notice;
  ctx.afterCommit(() =>
    deps.logger.info(
      { event: 'gateway_dead_letter_explained', gatewayId, seq, eventType, reasonCode },
      'a gateway dead-lettered an event; the hole in its seq is explained',
    ),
  );
  return 'dead_letter_notice';
}

async function handleRecord(
  ctx: ServiceContext,
  effects: GuardEffects,
  deps: IngestGuardDeps,
  onClockReset: (gatewayId: string) => void,
  decoded: DecodedRecord = decodeRecord(ctx.record),
): Promise<Outcome> {
  switch (decoded.kind) {
    case 'refused':
      return (await effects.refuse({
        record: ctx.record,
        reason: decoded.reason,
        digest: decoded.digest,
        offender: decoded.partial ?? {},
      }))
        ? 'rejected'
        : 'duplicate';
    case 'hub': {
      // The hub's own events (compliance_violation_detected ...) are in no chain. A bad one is
      // dead-lettered without raising another violation, so a fault cannot feed on itself.
      const problem = contentProblem(decoded.draft, deps.policy);
      if (!problem) return 'hub_origin';
      const offender = { eventId: decoded.draft.eventId, source: decoded.draft.source };
      await effects.refuse({
        record: ctx.record,
        reason: problem,
        digest: decoded.digest,
        offender,
        raise: false,
      });
      return 'rejected';
    }
    case 'gateway':
      return handleGatewayEvent(ctx, effects, decoded.event, decoded.digest, deps, onClockReset);
    default: {
      const unhandled: never = decoded;
      return unhandled;
    }
  }
}

async function handleGatewayEvent(
  ctx: ServiceContext,
  effects: GuardEffects,
  event: ClinicalEvent,
  digest: string,
  deps: IngestGuardDeps,
  onClockReset: (gatewayId: string) => void,
): Promise<Outcome> {
  const { tx, now, record } = ctx;
  const head = await lockChain(tx, event.gatewayId, now);
  const offender = { ...event };

  const known = await eventById(tx, event.eventId);
  if (known?.valueDigest === digest) return 'duplicate';
  if (await refusedBefore(tx, event.eventId, digest)) return 'duplicate';
  const occupant = known ?? (await eventAt(tx, event.gatewayId, event.seq));
  if (occupant) {
    const what = known
      ? `event ${event.eventId} arrived before (seq ${known.seq}) with other content`
      : `seq ${event.seq} of gateway ${event.gatewayId} is taken by event ${occupant.eventId}`;
    const reason = {
      code: 'HUB_ERR_EVENT_CONFLICT' as const,
      message: hubMessage('HUB_ERR_EVENT_CONFLICT', [event.eventId, what]),
    };
    await effects.refuse({ record, reason, digest, offender });
    return 'rejected';
  }

  const problem = contentProblem(event as unknown as Record<string, unknown>, deps.policy);
  const flagged = clockWentBackwards(event);
  const offsetMs = clockOffsetMs(now, event.recordedAt);
  await insertEvent(tx, {
    event,
    digest,
    record,
    receivedAt: now,
    clockOffsetMs: offsetMs,
    clockWentBackwards: flagged,
    contentOk: !problem,
    chain: event.seq <= head.headSeq ? 'late' : 'awaiting',
    rejection: problem,
  });
  await recordClock(tx, event.gatewayId, { receivedAt: now, offsetMs, resets: flagged ? 1 : 0 });
  if (flagged) ctx.afterCommit(() => onClockReset(event.gatewayId));
  if (problem) await effects.refuse({ record, reason: problem, digest, offender });

  if (event.seq <= head.headSeq) await settleLate(effects, event.gatewayId, event.seq, onClockReset);
  else await settleFromHead(effects, event.gatewayId, head, onClockReset);
  if (problem) return 'rejected';
  const settled = await eventAt(tx, event.gatewayId, event.seq);
  return settled?.status === 'accepted'
    ? 'accepted'
    : settled?.status === 'rejected'
      ? 'rejected'
      : 'pending';
}
