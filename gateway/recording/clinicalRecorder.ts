import { GatewayError } from '../errors.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { specOf } from '../../kernel/events/catalogue.ts';
import type { EventTypeSpec } from '../../kernel/events/eventTypeSpec.ts';
import { storableTextRule } from '../../kernel/events/storableText.ts';
import { type ValidationIssue, validateDraft } from '../../kernel/events/validateEvent.ts';
import type { EventLog } from '../eventStore/eventLog.ts';
import { createGroupCommit } from '../eventStore/groupCommit.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import type { GatewayMetrics } from '../metrics/gatewayMetrics.ts';
import { encryptPhiFields } from '../../kernel/phi/fieldCipher.ts';
import type { PhiKeyring } from '../../kernel/phi/phiKeyring.ts';
import type { ProjectionStore } from '../projections/projectionStore.ts';
import { storageAdmissionCheck } from '../storage/storageAdmissionCheck.ts';
import type { StorageGuard } from '../storage/storageGuard.ts';
import type { LiveFeed } from './liveFeed.ts';
import { withPhiKeyIds } from './phiKeyIds.ts';
import type { InputChannel, QuarantineRecord, QuarantineWriter } from './quarantine.ts';

/** Reacts to an appended event inside its transaction with more drafts (critical-value rules, ...). */
export type Reactor = (event: ClinicalEvent) => EventDraft[];

export interface RecordInput {
  /** An event draft to validate; unknown because it comes from outside. */
  draft: unknown;
  channel: InputChannel;
  /** Where it came from, for the quarantine record (device id, route). */
  origin: string;
  /** The input as received, kept (sealed) in quarantine if it is refused. */
  raw?: Buffer | string;
  /** "<deviceId>/<topic kind>#<deviceSeq>" for a device reading: retransmissions are stored once. */
  deviceKey?: string;
  /** More drafts recorded in the same transaction after the first: all are stored, or none. */
  andThen?: readonly unknown[];
  /** A check against current state inside the transaction; throw a GatewayError to refuse. */
  precondition?: () => void;
}

export type RecordOutcome =
  | { status: 'appended'; events: ClinicalEvent[] }
  | { status: 'duplicate'; duplicateOfSeq: number }
  | { status: 'quarantined'; quarantineId: number; code: string; reason: string; issues: ValidationIssue[] };

type Checked = { draft: EventDraft; spec: EventTypeSpec };

type Item =
  | { kind: 'event'; checked: readonly Checked[]; input: RecordInput; startedAt: bigint }
  | { kind: 'quarantine'; record: QuarantineRecord; issues: ValidationIssue[]; startedAt: bigint };

export interface ClinicalRecorderDeps {
  db: SqliteDatabase;
  log: EventLog;
  projections: ProjectionStore;
  quarantine: QuarantineWriter;
  keyring: PhiKeyring;
  reactors: readonly Reactor[];
  liveFeed: LiveFeed;
  metrics: GatewayMetrics;
  /**
   * Marks what the log should know of a valid draft before it is appended (a device clock
   * that cannot be right, rules/deviceClock.ts); the draft is kept whatever it says.
   */
  annotate?: (draft: EventDraft) => EventDraft;
  /** The disk-space guard: input it has no room for is refused with GW_ERR_DISK_LOW before any write. */
  storage?: Pick<StorageGuard, 'state' | 'snapshot'>;
}

/**
 * The write side: validates input, encrypts PHI fields, appends to the log,
 * applies read models and reactors, all in one group-committed transaction,
 * and answers only once that is durable. Refused input is quarantined, also
 * durably, before the caller hears back.
 */
export function createClinicalRecorder(deps: ClinicalRecorderDeps) {
  const { db, log, projections, quarantine, keyring, reactors, liveFeed, metrics } = deps;
  const admit = deps.storage ? storageAdmissionCheck({ guard: deps.storage, reactors, metrics }) : undefined;

  function appendWithReactions(
    draft: EventDraft,
    spec: EventTypeSpec,
    deviceKey: string | undefined,
  ): RecordOutcome {
    const protectedDraft = spec.encryptedFields
      ? withPhiKeyIds(
          { ...draft, data: encryptPhiFields(draft.data, spec.encryptedFields, keyring) },
          spec.encryptedFields,
        )
      : draft;
    const outcome = log.append(protectedDraft, deviceKey);
    if (!outcome.appended) return { status: 'duplicate', duplicateOfSeq: outcome.duplicateOfSeq };
    const appended = [outcome.event];
    for (let index = 0; index < appended.length; index += 1) {
      const event = appended[index]!;
      projections.apply(event);
      for (const reactor of reactors) {
        for (const follow of reactor(event)) {
          const checked = validateDraft(follow);
          if (!checked.ok)
            throw new GatewayError('GW_ERR_EVENT_INVALID', [
              `reaction to ${event.eventType}: ${checked.issues[0]?.message}`,
            ]);
          const next = log.append(follow);
          if (next.appended) appended.push(next.event);
        }
      }
    }
    return { status: 'appended', events: appended };
  }

  const groupCommit = createGroupCommit<Item, { item: Item; outcome: RecordOutcome }>({
    db,
    write(item) {
      if (item.kind === 'quarantine') {
        const quarantineId = quarantine.write(item.record);
        return {
          item,
          outcome: {
            status: 'quarantined',
            quarantineId,
            code: item.record.reasonCode,
            reason: item.record.reason,
            issues: item.issues,
          },
        };
      }
      item.input.precondition?.();
      const [first, ...rest] = item.checked;
      const outcome = appendWithReactions(first!.draft, first!.spec, item.input.deviceKey);
      if (outcome.status !== 'appended') return { item, outcome };
      for (const next of rest) {
        const more = appendWithReactions(next.draft, next.spec, undefined);
        if (more.status === 'appended') outcome.events.push(...more.events);
      }
      return { item, outcome };
    },
    beforeCommit: () => projections.flushCheckpoint(),
    afterRollback: () => {
      log.resync();
      projections.forgetUncommitted();
    },
    afterCommit(results) {
      metrics.commitBatchSize.observe(results.length);
      for (const { item, outcome } of results) {
        const channel = item.kind === 'event' ? item.input.channel : item.record.channel;
        metrics.processingDuration.observe(
          { channel },
          Number(process.hrtime.bigint() - item.startedAt) / 1e9,
        );
        if (outcome.status === 'quarantined') {
          metrics.eventsFailed.inc({ channel, reason: outcome.code });
          metrics.deadLetterQueueSize.inc();
        } else if (outcome.status === 'duplicate') {
          metrics.duplicates.inc({ channel });
        } else {
          for (const event of outcome.events) {
            metrics.eventsPublished.inc({
              event_type: event.eventType,
              topic: specOf(event.eventType)?.topic ?? 'unknown',
            });
            metrics.eventsProcessed.inc({ event_type: event.eventType });
            if (event.metadata?.gatewayClockWentBackwards) metrics.clockBackwards.inc();
            const implausible = event.metadata?.deviceClockImplausible as { reason?: string } | undefined;
            if (implausible) metrics.deviceClockImplausible.inc({ reason: implausible.reason ?? 'unknown' });
            liveFeed.publish(event);
          }
        }
      }
    },
  });

  async function record(input: RecordInput): Promise<RecordOutcome> {
    if (!db.open) throw new GatewayError('GW_ERR_LOG_CLOSED', []);
    const startedAt = process.hrtime.bigint();
    const checked: Checked[] = [];
    for (const draft of [input.draft, ...(input.andThen ?? [])]) {
      const result = validateDraft(draft);
      if (!result.ok) {
        const code = result.issues.some((issue) => issue.rule === 'catalogue')
          ? 'GW_ERR_EVENT_TYPE_UNKNOWN'
          : result.issues.some((issue) => issue.rule === storableTextRule)
            ? 'GW_ERR_TEXT_UNSTORABLE'
            : 'GW_ERR_EVENT_INVALID';
        return quarantineInput(
          {
            ...quarantineFields(input),
            reasonCode: code,
            reason: summarize(result.issues),
            issues: result.issues,
          },
          startedAt,
        );
      }
      checked.push({ draft: deps.annotate ? deps.annotate(result.draft) : result.draft, spec: result.spec });
    }
    admit?.(checked, input.channel);
    const { outcome } = await groupCommit.submit({ kind: 'event', checked, input, startedAt });
    return outcome;
  }

  async function quarantineInput(
    record: QuarantineRecord,
    startedAt = process.hrtime.bigint(),
  ): Promise<RecordOutcome> {
    if (!db.open) throw new GatewayError('GW_ERR_LOG_CLOSED', []);
    const { outcome } = await groupCommit.submit({
      kind: 'quarantine',
      record,
      issues: [...(record.issues ?? [])],
      startedAt,
    });
    return outcome;
  }

  return { record, quarantine: quarantineInput, flushNow: () => groupCommit.flushNow() };
}

function quarantineFields(input: RecordInput): Pick<QuarantineRecord, 'channel' | 'origin' | 'raw'> {
  return {
    channel: input.channel,
    origin: input.origin,
    raw: input.raw ?? JSON.stringify(input.draft ?? null),
  };
}

export function summarize(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => `${issue.message} (rule: ${issue.rule})`);
  return issues.length > 3 ? `${shown.join('; ')}; and ${issues.length - 3} more` : shown.join('; ');
}

export type ClinicalRecorder = ReturnType<typeof createClinicalRecorder>;
