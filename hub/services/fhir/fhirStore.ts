import { isDeepStrictEqual } from 'node:util';
import type { HubPool, HubTx } from '../../db/hubDatabase.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import { indexEntries } from './searchIndex.ts';

export interface WriteResult {
  resourceType: string;
  id: string;
  versionId: number;
  /** First version of the resource. */
  created: boolean;
  /** False when the event changed nothing: no new version. */
  changed: boolean;
}

const withoutMeta = ({ meta: _meta, ...rest }: FhirResource) => rest;

/**
 * Applies one change in the caller's transaction: the current version is
 * locked, the change applied, and a new version (meta.versionId + 1,
 * meta.lastUpdated) written with its history row and search index, unless
 * nothing changed. Two partitions creating the same resource at once collide
 * on the primary key; the loser's transaction is retried by the framework.
 */
export async function applyChange(
  tx: HubTx,
  change: ResourceChange,
  source: { eventId: string; now: Date },
  /** Opens a sealed identifier for its search digest (searchIndex.ts indexEntries). */
  reveal?: (sealed: string) => string | undefined,
): Promise<WriteResult> {
  const { rows } = await tx.query<{ resource: FhirResource; version_id: number }>(
    'SELECT resource, version_id FROM fhir_resources WHERE resource_type = $1 AND id = $2 FOR UPDATE',
    [change.resourceType, change.id],
  );
  const current = rows[0];
  const next = change.apply(current?.resource);
  const result = { resourceType: change.resourceType, id: change.id };
  if (current && isDeepStrictEqual(withoutMeta(current.resource), withoutMeta(next)))
    return { ...result, versionId: current.version_id, created: false, changed: false };
  const versionId = (current?.version_id ?? 0) + 1;
  const lastUpdated = source.now.toISOString();
  const resource: FhirResource = {
    ...next,
    meta: { ...next.meta, versionId: String(versionId), lastUpdated },
  };
  await tx.query(
    `INSERT INTO fhir_resources (resource_type, id, version_id, last_updated, patient_id, source_event_id, resource)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (resource_type, id) DO UPDATE SET version_id = $3, last_updated = $4,
       patient_id = coalesce($5, fhir_resources.patient_id), source_event_id = $6, resource = $7
     WHERE fhir_resources.version_id = $3 - 1`,
    [
      change.resourceType,
      change.id,
      versionId,
      source.now,
      change.patientId ?? null,
      source.eventId,
      resource,
    ],
  );
  await tx.query(
    `INSERT INTO fhir_resource_history (resource_type, id, version_id, last_updated, source_event_id, resource)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [change.resourceType, change.id, versionId, source.now, source.eventId, resource],
  );
  await tx.query('DELETE FROM fhir_search_index WHERE resource_type = $1 AND id = $2', [
    change.resourceType,
    change.id,
  ]);
  const entries = indexEntries(resource, reveal);
  if (entries.length > 0)
    await tx.query(
      `INSERT INTO fhir_search_index (resource_type, id, name, value, date_value)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::timestamptz[])`,
      [
        change.resourceType,
        change.id,
        entries.map((entry) => entry.name),
        entries.map((entry) => entry.value ?? null),
        entries.map((entry) => entry.date ?? null),
      ],
    );
  return { ...result, versionId, created: versionId === 1, changed: true };
}

export async function readResource(
  pool: HubPool,
  resourceType: string,
  id: string,
  versionId?: number,
): Promise<FhirResource | undefined> {
  const { rows } =
    versionId === undefined
      ? await pool.query<{ resource: FhirResource }>(
          'SELECT resource FROM fhir_resources WHERE resource_type = $1 AND id = $2',
          [resourceType, id],
        )
      : await pool.query<{ resource: FhirResource }>(
          'SELECT resource FROM fhir_resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3',
          [resourceType, id, versionId],
        );
  return rows[0]?.resource;
}
