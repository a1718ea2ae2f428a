import { GENESIS_HASH, chainHash, hashedBody } from '../../../kernel/events/chainHash.ts';
import type { ClinicalEvent, EventDraft } from '../../../kernel/events/envelope.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import { hubEventRecord } from '../../ingestGuard/complianceViolation.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import type { HubMetrics } from '../../metrics/hubMetrics.ts';
import { applyChange } from '../fhir/fhirStore.ts';
import { guardedEvent } from '../guardedEvents.ts';
import type { HubService, ServiceContext } from '../hubService.ts';
import { nationalIdAccessAuditEvent } from './auditEventResource.ts';
import { appendAudit, appendPhiAccess, recordFinding, busiestHourAround } from './auditStore.ts';
import {
  type Access,
  type ComplianceRules,
  type Finding,
  outsideWorkingHours,
  revealBurst,
} from './complianceRules.ts';

export const auditServiceName = 'audit';

export interface AuditServiceDeps {
  topics: HubTopics;
  policy: PublisherPolicy;
  rules: ComplianceRules;
  metrics: HubMetrics;
  newId: IdSource;
  hubVersion: string;
}

/**
 * The audit and compliance service (docs/hub.md, "Audit and compliance"):
 * every guarded event appended once to audit_log with its hash recomputed the
 * gateway's way; national-ID reads to phi_access_log and as FHIR AuditEvent;
 * compliance rules over the access log raise compliance_violation_detected.
 */
export function createAuditService(deps: AuditServiceDeps): HubService {
  return {
    name: auditServiceName,
    topics: deps.topics.events,
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: auditServiceName, policy: deps.policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      const event = guarded.event as EventDraft & Partial<ClinicalEvent>;
      const hashVerified =
        guarded.kind === 'accepted' ? await verifyHash(ctx, guarded.event, guarded.chain.hash) : null;
      await appendAudit(ctx.tx, {
        event,
        origin: guarded.kind === 'accepted' ? 'gateway' : 'hub',
        hashVerified,
        record: ctx.record,
        loggedAt: ctx.now,
      });
      if (hashVerified === false)
        await raise(ctx, deps, event, 'hash_chain_broken', {
          severity: 'critical',
          description: `Event ${event.eventId} of gateway ${event.gatewayId} does not hash to the value its chain holds`,
        });
      if (event.eventType === 'sudan_national_id_accessed') await nationalIdAccessed(ctx, deps, event);
      return hashVerified === false ? 'hash_mismatch' : 'audited';
    },
  };
}

/**
 * The event's hash recomputed as the gateway made it (chainHash.ts) from its
 * predecessor's stored hash, and compared with the hash the guard linked.
 */
async function verifyHash(ctx: ServiceContext, event: ClinicalEvent, linkedHash: string): Promise<boolean> {
  let previous = GENESIS_HASH;
  if (event.seq > 1) {
    const { rows } = await ctx.tx.query<{ hash: string }>(
      'SELECT hash FROM gateway_events WHERE gateway_id = $1 AND seq = $2',
      [event.gatewayId, event.seq - 1],
    );
    if (!rows[0]) return false;
    previous = rows[0].hash;
  }
  const recomputed = chainHash(previous, hashedBody(event));
  return recomputed === event.hash && recomputed === linkedHash;
}

async function nationalIdAccessed(
  ctx: ServiceContext,
  deps: AuditServiceDeps,
  event: EventDraft & Partial<ClinicalEvent>,
) {
  // One user's reads are counted one transaction at a time: concurrent partitions would each miss the others'.
  await ctx.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phi-access:${event.userId ?? ''}`]);
  const first = await appendPhiAccess(ctx.tx, event, event.gatewayId, ctx.now);
  if (!first) return;
  await applyChange(ctx.tx, nationalIdAccessAuditEvent(event, event.gatewayId), {
    eventId: event.eventId,
    now: ctx.now,
  });
  const userId = event.userId ?? 'unknown';
  const access = { eventId: event.eventId, userId, accessedAt: new Date(String(event.data.accessedAt)) };
  const findings = [
    await busiestHour(ctx, userId, access, deps.rules),
    outsideWorkingHours(access, deps.rules),
  ].filter((finding): finding is Finding => finding !== undefined);
  for (const finding of findings) {
    const violationId = deps.newId();
    if (await recordFinding(ctx.tx, finding, violationId, userId, ctx.now))
      await raise(ctx, deps, event, 'suspicious_phi_access', finding, violationId);
  }
}

async function busiestHour(ctx: ServiceContext, userId: string, access: Access, rules: ComplianceRules) {
  const { count, endsAt } = await busiestHourAround(ctx.tx, userId, access.accessedAt);
  return revealBurst({ ...access, accessedAt: endsAt }, count, rules);
}

/** compliance_violation_detected on sudan-compliance-events, through the outbox; ids only, no PHI. */
async function raise(
  ctx: ServiceContext,
  deps: AuditServiceDeps,
  event: EventDraft & Partial<ClinicalEvent>,
  violationType: 'suspicious_phi_access' | 'hash_chain_broken',
  finding: Pick<Finding, 'description'> & { severity: 'low' | 'medium' | 'high' | 'critical' },
  violationId = deps.newId(),
) {
  const at = ctx.now.toISOString();
  const draft = eventDraft(
    {
      eventId: deps.newId(),
      eventType: 'compliance_violation_detected',
      timestamp: at,
      facility: { facilityId: event.facilityId, tenantId: event.tenantId },
      patientId: event.patientId,
      userId: event.userId,
      correlationId: event.correlationId ?? event.eventId,
      causationId: event.eventId,
      source: 'audit-service',
      sourceVersion: deps.hubVersion,
    },
    {
      violationId,
      violationType,
      severity: finding.severity,
      description: finding.description.slice(0, 1000),
      offendingEventId: event.eventId,
      offendingSource: event.source,
      ...(event.gatewayId ? { gatewayId: event.gatewayId } : {}),
      detectedAt: at,
    },
  );
  const checked = validateDraft(draft);
  if (!checked.ok)
    throw new Error(`compliance_violation_detected is invalid: ${JSON.stringify(checked.issues)}`);
  await ctx.send(hubEventRecord(draft, deps.topics.compliance, auditServiceName));
  ctx.afterCommit(() => deps.metrics.complianceViolations.inc({ violation_type: violationType }));
}
