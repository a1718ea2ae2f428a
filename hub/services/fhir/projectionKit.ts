import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { ref, systems } from './fhirIds.ts';
import type { FhirResource } from './fhirTypes.ts';

/** `data` of an event, read field by field (the catalogue has validated its shape). */
export type Data = Record<string, unknown>;

export const str = (data: Data, field: string): string | undefined => {
  const value = data[field];
  return typeof value === 'string' ? value : undefined;
};
export const num = (data: Data, field: string): number | undefined => {
  const value = data[field];
  return typeof value === 'number' ? value : undefined;
};
export const obj = (data: Data, field: string): Data | undefined => {
  const value = data[field];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : undefined;
};

/** Drops undefined fields and empty arrays: FHIR JSON has no nulls and no empty arrays. */
export function clean<T extends Record<string, unknown>>(resource: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as T;
}

export const coding = (system: string, code: string, display?: string) => clean({ system, code, display });
export const concept = (system: string, code: string, display?: string, text?: string) =>
  clean({ coding: [coding(system, code, display)], text });
export const textConcept = (text: string) => ({ text });

export const patientRef = (event: EventDraft) =>
  event.patientId ? ref('Patient', event.patientId) : undefined;

/** The acting user as a reference by identifier (staff are not resources here); a staff name is not PHI. */
export function actorRef(event: EventDraft) {
  if (!event.userId) return undefined;
  return clean({ identifier: { system: systems.userId, value: event.userId }, display: event.userName });
}

/** UCUM units the catalogue uses for doses; others ("tablet") are plain units. */
const ucumUnits = new Set([
  'mg',
  'g',
  'ug',
  'ng',
  'mL',
  'L',
  '[IU]',
  'mmol',
  'meq',
  '%',
  '/min',
  'mm[Hg]',
  'Cel',
]);

export function quantity(value: number, unit: string | undefined) {
  if (!unit) return { value };
  return ucumUnits.has(unit) ? { value, unit, system: systems.ucum, code: unit } : { value, unit };
}

/** A new resource, or the current one with `fields` laid over it (meta is the store's). */
export function merged(
  current: FhirResource | undefined,
  resourceType: string,
  id: string,
  fields: Record<string, unknown>,
): FhirResource {
  const { meta: _meta, ...rest } = current ?? { resourceType, id };
  return clean({ ...rest, ...fields, resourceType, id }) as FhirResource;
}

/** Extensions of a profile on the resource's meta, kept from one version to the next. */
export function withProfile(resource: FhirResource, profile: string): FhirResource {
  return { ...resource, meta: { profile: [profile] } };
}
