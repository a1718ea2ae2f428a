import type { IdSource } from '../../kernel/events/ids.ts';
import type { HubMetrics } from '../metrics/hubMetrics.ts';
import type { RejectionReason, SourceRecord, TransactionContext } from '../services/hubService.ts';
import { complianceViolation, hubEventRecord, type Offender, violationOf } from './complianceViolation.ts';
import { recordRejection } from './ingestStore.ts';

/** The name the ingest guard runs under: consumer group suffix, metrics label, `ce_source` suffix. */
export const ingestGuardName = 'ingest-guard';

export interface GuardConfig {
  complianceTopic: string;
  newId: IdSource;
  hub: { facilityId: string; tenantId: string; version: string };
  metrics: HubMetrics;
}

export interface RefusalInput {
  record: SourceRecord;
  reason: RejectionReason;
  digest: string;
  offender: Offender & { seq?: unknown };
  /** Send the record to the dead-letter topic (false when it is there already for another reason). */
  deadLetter?: boolean;
  /** Raise compliance_violation_detected (false for the hub's own events: no loops). */
  raise?: boolean;
}

/** What the guard does to a refused record, inside the transaction that decided it. */
export interface GuardEffects {
  ctx: TransactionContext;
  /** Records the refusal; dead-letters and raises a violation unless this record was refused so before. */
  refuse(input: RefusalInput): Promise<boolean>;
  /** Raises compliance_violation_detected alone (a gap, which is no one record's fault). */
  raise(reason: RejectionReason, offender: Offender): Promise<void>;
}

export function guardEffects(ctx: TransactionContext, config: GuardConfig): GuardEffects {
  const raise = async (reason: RejectionReason, offender: Offender) => {
    const draft = complianceViolation({
      code: reason.code,
      description: reason.message,
      offender,
      now: ctx.now,
      newId: config.newId,
      hub: config.hub,
    });
    await ctx.send(hubEventRecord(draft, config.complianceTopic, ingestGuardName));
    const { violationType } = violationOf(reason.code);
    ctx.afterCommit(() => config.metrics.complianceViolations.inc({ violation_type: violationType }));
  };
  return {
    ctx,
    raise,
    async refuse(input) {
      const { offender } = input;
      const seq =
        typeof offender.seq === 'number' && Number.isSafeInteger(offender.seq) ? offender.seq : undefined;
      const first = await recordRejection(ctx.tx, {
        record: input.record,
        reason: input.reason,
        digest: input.digest,
        ...(uuidOrUndefined(offender.eventId) ? { eventId: offender.eventId as string } : {}),
        ...(typeof offender.gatewayId === 'string' ? { gatewayId: offender.gatewayId.slice(0, 64) } : {}),
        ...(seq !== undefined ? { seq } : {}),
        at: ctx.now,
      });
      if (!first) return false;
      if (input.deadLetter !== false) await ctx.deadLetter(input.reason, input.record);
      if (input.raise !== false) await raise(input.reason, offender);
      return true;
    },
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidOrUndefined(value: unknown): boolean {
  return typeof value === 'string' && uuid.test(value);
}
