import type { EventDraft } from '../../../kernel/events/envelope.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import { specOf } from '../../../kernel/events/catalogue.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import { hubEventRecord } from '../../ingestGuard/complianceViolation.ts';
import { downstreamRecord } from '../downstream/downstreamRecord.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import { guardedEvent } from '../guardedEvents.ts';
import type { HubService, Outcome, ServiceContext } from '../hubService.ts';
import { checkPrescription, guidelineFor, type Prescription } from './cdsChecks.ts';
import { findingDraft } from './cdsFindingDrafts.ts';
import {
  activePrescriptions,
  allergiesOfPatient,
  discontinuePrescription,
  recordFinding,
  recordPrescription,
  replaceAllergies,
} from './cdsStore.ts';
import type { CdsTables } from './cdsTables.ts';

export const cdsServiceName = 'cds';

export interface CdsServiceDeps {
  topics: HubTopics;
  /** The ingest guard's publisher policy, to judge the hub's own events as the guard does. */
  policy: PublisherPolicy;
  topicPrefix: string;
  tables: CdsTables;
  newId: IdSource;
  version: string;
}

type GuardedEvent = EventDraft & { gatewayId?: string };

/**
 * Clinical decision support (the platform design, "Event Handlers by Service" > CDS): each
 * medication_prescribed is checked against the interaction table and the
 * patient's active prescriptions, the patient's recorded allergies and the dose
 * ranges; each finding is published on its catalogue topic and, when the
 * prescription came from a gateway, sent back to that gateway. diagnosis_added
 * gets a guideline reference. Patient allergies and prescriptions are kept from
 * the events themselves.
 */
export function createCdsService(deps: CdsServiceDeps): HubService {
  return {
    name: cdsServiceName,
    topics: [
      deps.topics.of('patient-events'),
      deps.topics.of('medication-events'),
      deps.topics.of('clinical-events'),
    ],
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: cdsServiceName, policy: deps.policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      return handleEvent(ctx, guarded.event, deps);
    },
  };
}

async function handleEvent(ctx: ServiceContext, event: GuardedEvent, deps: CdsServiceDeps): Promise<Outcome> {
  const data = event.data as Record<string, unknown>;
  switch (event.eventType) {
    case 'patient_registered':
      if (event.patientId && Array.isArray(data.allergies))
        await replaceAllergies(ctx.tx, event.patientId, data.allergies as string[]);
      return 'recorded';
    case 'patient_updated': {
      const changes = data.changes as Record<string, unknown>;
      if (event.patientId && Array.isArray(changes.allergies))
        await replaceAllergies(ctx.tx, event.patientId, changes.allergies as string[]);
      return 'recorded';
    }
    case 'medication_discontinued':
      await discontinuePrescription(ctx.tx, String(data.medicationRequestId));
      return 'recorded';
    case 'medication_prescribed':
      return checkAndRecord(ctx, event, deps);
    case 'diagnosis_added':
      return suggestGuideline(ctx, event, deps);
    default:
      return 'ignored';
  }
}

async function checkAndRecord(
  ctx: ServiceContext,
  event: GuardedEvent,
  deps: CdsServiceDeps,
): Promise<Outcome> {
  if (!event.patientId) return 'ignored';
  const data = event.data as unknown as Prescription & { prescribedAt: string };
  const prescription: Prescription = {
    medicationRequestId: data.medicationRequestId,
    drugName: data.drugName,
    ...(data.atcCode ? { atcCode: data.atcCode } : {}),
    dose: data.dose,
    route: data.route,
    frequency: data.frequency,
  };
  const findings = checkPrescription(
    prescription,
    {
      active: await activePrescriptions(ctx.tx, event.patientId),
      allergies: await allergiesOfPatient(ctx.tx, event.patientId),
    },
    deps.tables,
  );
  await recordPrescription(ctx.tx, {
    prescription,
    patientId: event.patientId,
    eventId: event.eventId,
    ...(event.gatewayId ? { gatewayId: event.gatewayId } : {}),
    at: data.prescribedAt,
  });
  const cause = {
    eventId: event.eventId,
    patientId: event.patientId,
    facilityId: event.facilityId,
    tenantId: event.tenantId,
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
  };
  for (const finding of findings) {
    const draft = findingDraft(finding, prescription, cause, {
      now: ctx.now,
      newId: deps.newId,
      tables: deps.tables,
      version: deps.version,
    });
    const topic = deps.topics.of(specOf(draft.eventType)!.topic);
    await ctx.send(hubEventRecord(draft, topic, cdsServiceName));
    if (event.gatewayId)
      await ctx.send(downstreamRecord(draft, event.gatewayId, deps.topicPrefix, cdsServiceName));
    await recordFinding(ctx.tx, {
      eventId: draft.eventId,
      eventType: draft.eventType,
      causeEventId: event.eventId,
      patientId: event.patientId,
      ...(event.gatewayId ? { gatewayId: event.gatewayId } : {}),
      at: ctx.now,
    });
  }
  return findings.length > 0 ? 'findings' : 'clear';
}

async function suggestGuideline(
  ctx: ServiceContext,
  event: GuardedEvent,
  deps: CdsServiceDeps,
): Promise<Outcome> {
  const data = event.data as { diagnosisId: string; code: string };
  const guideline = guidelineFor(data.code, deps.tables);
  if (!guideline) return 'clear';
  await ctx.tx.query(
    `INSERT INTO cds_guideline_suggestions (diagnosis_event_id, patient_id, diagnosis_id, code, title, publisher,
       reference, table_version, gateway_id, suggested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [
      event.eventId,
      event.patientId ?? null,
      data.diagnosisId,
      data.code,
      guideline.title,
      guideline.publisher,
      guideline.reference,
      deps.tables.guidelines.version,
      event.gatewayId ?? null,
      ctx.now,
    ],
  );
  return 'guideline';
}
