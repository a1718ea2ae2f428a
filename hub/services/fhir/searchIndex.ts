import { createHash } from 'node:crypto';
import { isEncryptedField } from '../../../kernel/phi/fieldCipher.ts';
import type { FhirResource } from './fhirTypes.ts';

/** One search parameter value of a resource (table fhir_search_index). */
export interface IndexEntry {
  name: string;
  value?: string;
  date?: string;
}

export type SearchParamType = 'token' | 'string' | 'reference' | 'date';

/** The search parameters served per type (CapabilityStatement, docs/fhir.md). */
export const searchParameters: Readonly<Record<string, Readonly<Record<string, SearchParamType>>>> = {
  Patient: { identifier: 'token', name: 'string' },
  Observation: { patient: 'reference', subject: 'reference', code: 'token', date: 'date', category: 'token' },
  Encounter: { patient: 'reference', subject: 'reference', status: 'token' },
  Condition: { patient: 'reference', code: 'token' },
  MedicationRequest: { patient: 'reference', status: 'token' },
  MedicationAdministration: { patient: 'reference' },
  DiagnosticReport: { patient: 'reference' },
  ServiceRequest: { patient: 'reference' },
  Device: {},
  Flag: { patient: 'reference', status: 'token' },
  DetectedIssue: { patient: 'reference' },
  Appointment: { patient: 'reference' },
  AuditEvent: { patient: 'reference', date: 'date' },
};

/**
 * Identifier tokens are kept as SHA-256 digests: the index must not be a
 * second plaintext copy of national IDs. A search hashes its value the same way.
 */
export function identifierToken(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type Coding = { system?: string; code?: string };
type Concept = { coding?: Coding[] };

function tokens(concepts: unknown): string[] {
  const list = Array.isArray(concepts) ? concepts : concepts ? [concepts] : [];
  return (list as Concept[]).flatMap((concept) =>
    (concept.coding ?? []).flatMap((coding) =>
      coding.code ? [coding.code, `${coding.system ?? ''}|${coding.code}`] : [],
    ),
  );
}

function patientOf(resource: FhirResource): string | undefined {
  const reference =
    (resource.subject as { reference?: string } | undefined)?.reference ??
    (resource.patient as { reference?: string } | undefined)?.reference;
  if (reference?.startsWith('Patient/')) return reference.slice('Patient/'.length);
  if (resource.resourceType === 'AuditEvent') {
    const entity = (resource.entity as { what?: { reference?: string } }[] | undefined)?.find((entry) =>
      entry.what?.reference?.startsWith('Patient/'),
    );
    return entity?.what?.reference?.slice('Patient/'.length);
  }
  if (resource.resourceType === 'Appointment') {
    const actor = (resource.participant as { actor?: { reference?: string } }[] | undefined)?.find((entry) =>
      entry.actor?.reference?.startsWith('Patient/'),
    );
    return actor?.actor?.reference?.slice('Patient/'.length);
  }
  return undefined;
}

/**
 * The values each search parameter of the resource's type matches (pure).
 * An identifier stored sealed (the national ID) is indexed by the digest of
 * its plaintext, which `reveal` gives (the FHIR service, while projecting);
 * without it, or when it gives nothing, the identifier is not indexed: a
 * digest of ciphertext would match no search.
 */
export function indexEntries(
  resource: FhirResource,
  reveal: (sealed: string) => string | undefined = () => undefined,
): IndexEntry[] {
  const entries: IndexEntry[] = [];
  const params = searchParameters[resource.resourceType] ?? {};
  const patient = patientOf(resource);
  if (patient && params.patient) entries.push({ name: 'patient', value: patient });
  if (patient && params.subject) entries.push({ name: 'subject', value: patient });
  switch (resource.resourceType) {
    case 'Patient': {
      for (const identifier of (resource.identifier as { system?: string; value?: string }[] | undefined) ??
        []) {
        const value = isEncryptedField(identifier.value) ? reveal(identifier.value) : identifier.value;
        if (!value) continue;
        entries.push({ name: 'identifier', value: identifierToken(value) });
        entries.push({
          name: 'identifier',
          value: identifierToken(`${identifier.system ?? ''}|${value}`),
        });
      }
      for (const name of (resource.name as { family?: string; given?: string[] }[] | undefined) ?? []) {
        for (const part of [name.family, ...(name.given ?? [])])
          if (part) entries.push({ name: 'name', value: part.toLowerCase() });
      }
      break;
    }
    case 'Observation': {
      for (const token of tokens(resource.code)) entries.push({ name: 'code', value: token });
      for (const token of tokens(resource.category)) entries.push({ name: 'category', value: token });
      const date = resource.effectiveDateTime;
      if (typeof date === 'string') entries.push({ name: 'date', date });
      break;
    }
    case 'Condition':
      for (const token of tokens(resource.code)) entries.push({ name: 'code', value: token });
      break;
    case 'AuditEvent':
      if (typeof resource.recorded === 'string') entries.push({ name: 'date', date: resource.recorded });
      break;
  }
  if (params.status && typeof resource.status === 'string')
    entries.push({ name: 'status', value: resource.status });
  return entries;
}
