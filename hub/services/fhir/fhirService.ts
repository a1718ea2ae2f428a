import type { ClinicalEvent, EventDraft } from '../../../kernel/events/envelope.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import { decryptField, encryptField, isEncryptedField } from '../../../kernel/phi/fieldCipher.ts';
import { HubError } from '../../errors.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import { hubEventRecord } from '../../ingestGuard/complianceViolation.ts';
import type { PublisherPolicy } from '../../ingestGuard/publisherPolicy.ts';
import { guardedEvent } from '../guardedEvents.ts';
import type { HubService, Outcome, ServiceContext } from '../hubService.ts';
import { applyChange, type WriteResult } from './fhirStore.ts';
import type { HubPhiKeys } from './hubPhiKeys.ts';
import { nationalIdField, openNationalId } from './nationalIdAtRest.ts';
import { projectEvent } from './projectEvent.ts';

export const fhirServiceName = 'fhir';

export interface FhirServiceDeps {
  topics: HubTopics;
  policy: PublisherPolicy;
  phiKeys: HubPhiKeys;
  newId: IdSource;
  hubVersion: string;
}

/**
 * The FHIR service: every guarded event projected into FHIR R4 resources in
 * PostgreSQL (docs/fhir.md), one transaction per record, idempotent by
 * eventId; each new version announced as fhir_resource_created/updated on
 * clinical-events through the outbox.
 */
export function createFhirService(deps: FhirServiceDeps): HubService {
  return {
    name: fhirServiceName,
    topics: deps.topics.events,
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: fhirServiceName, policy: deps.policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      return project(ctx, guarded.event, deps);
    },
  };
}

async function project(ctx: ServiceContext, event: EventDraft, deps: FhirServiceDeps): Promise<Outcome> {
  const keys = deps.phiKeys;
  const nationalId = nationalIdOf(event, keys);
  const changes = projectEvent(
    event,
    nationalId
      ? {
          nationalId: nationalId.sealed,
          sameNationalId: (stored) => openNationalId(stored, keys) === nationalId.plaintext,
        }
      : {},
  );
  if (changes.length === 0) return 'not_projected';
  // The search index digests the national ID in clear: opened here, while projecting, never stored.
  const reveal = (sealed: string) => {
    if (!keys.configured) return undefined;
    const clear = openNationalId(sealed, keys);
    if (clear === undefined)
      throw new HubError('HUB_ERR_PHI_UNDECRYPTABLE', [
        nationalIdField,
        event.eventId,
        'no key in the hub PHI key file opens the national ID stored in the Patient',
      ]);
    return clear;
  };
  let changed = 0;
  for (const change of changes) {
    const written = await applyChange(ctx.tx, change, { eventId: event.eventId, now: ctx.now }, reveal);
    if (!written.changed) continue;
    changed += 1;
    await ctx.send(
      hubEventRecord(
        announcement(event, written, change.patientId, ctx.now, deps),
        deps.topics.of('clinical-events'),
        fhirServiceName,
      ),
    );
  }
  return changed > 0 ? 'projected' : 'unchanged';
}

/** fhir_resource_created / fhir_resource_updated: ids only, never the resource (it may hold PHI). */
function announcement(
  event: EventDraft,
  written: WriteResult,
  patientId: string | undefined,
  now: Date,
  deps: FhirServiceDeps,
): EventDraft {
  const at = now.toISOString();
  const data = {
    resourceType: written.resourceType,
    resourceId: written.id,
    versionId: String(written.versionId),
    sourceEventId: event.eventId,
    ...(written.created ? { createdAt: at } : { updatedAt: at }),
  };
  return eventDraft(
    {
      eventId: deps.newId(),
      eventType: written.created ? 'fhir_resource_created' : 'fhir_resource_updated',
      timestamp: at,
      facility: { facilityId: event.facilityId, tenantId: event.tenantId },
      patientId,
      correlationId: event.correlationId ?? event.eventId,
      causationId: event.eventId,
      source: 'fhir-service',
      sourceVersion: deps.hubVersion,
    },
    data,
  );
}

/**
 * The national ID of a patient event, sealed as the Patient stores it (the
 * gateway's ciphertext) and in clear for comparison, decrypted here and only
 * here (docs/fhir.md, "National IDs"). Never logged; an error names the field
 * and the event, never the value. A national ID that arrives in clear is
 * sealed with its gateway's key, or left out when the hub has none: it is
 * never stored in clear.
 */
function nationalIdOf(
  event: EventDraft,
  keys: HubPhiKeys,
): { sealed: string; plaintext: string } | undefined {
  if (event.eventType !== 'patient_registered' && event.eventType !== 'patient_updated') return undefined;
  const fields = (event.eventType === 'patient_updated' ? event.data.changes : event.data) as
    | Record<string, unknown>
    | undefined;
  const value = fields?.sudanNationalId;
  if (typeof value !== 'string') return undefined;
  // No key file at all (not provisioned yet): the Patient is made without the national ID.
  if (!keys.configured) return undefined;
  const gatewayId = (event as Partial<ClinicalEvent>).gatewayId;
  const keyring = keys.keyringFor(gatewayId);
  if (!keyring) {
    if (!isEncryptedField(value)) return undefined;
    throw new HubError('HUB_ERR_PHI_UNDECRYPTABLE', [
      nationalIdField,
      event.eventId,
      `no key for gateway ${gatewayId ?? '(none)'} in the hub PHI key file`,
    ]);
  }
  if (!isEncryptedField(value))
    return { sealed: encryptField(value, nationalIdField, keyring), plaintext: value };
  try {
    return { sealed: value, plaintext: decryptField(value, nationalIdField, keyring) };
  } catch (error) {
    throw new HubError('HUB_ERR_PHI_UNDECRYPTABLE', [
      nationalIdField,
      event.eventId,
      (error as Error).message,
    ]);
  }
}
