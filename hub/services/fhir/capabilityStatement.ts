import { fhirResourceTypes } from './fhirTypes.ts';
import { searchParameters } from './searchIndex.ts';

const paramDocs: Record<string, string> = {
  identifier: 'system|value or value; Patient identifiers (national ID, patient id, MRN)',
  name: 'starts-with, any part of the name, case-insensitive',
  patient: 'Patient/<id> or <id>',
  subject: 'Patient/<id> or <id>',
  code: 'system|code or code',
  category: 'system|code or code',
  date: 'eq, ne, lt, le, gt, ge prefix; any precision',
  status: 'the resource status code',
};

/** The CapabilityStatement of /fhir/metadata: what this server reads and searches. */
export function capabilityStatement(version: string, now: Date) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    publisher: 'NileCare Edge',
    kind: 'instance',
    software: { name: 'NileCare hub FHIR service', version },
    implementation: { description: 'FHIR R4 projection of the clinics’ events' },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read-only: resources are made from events. Bearer token required (docs/fhir.md).',
        resource: fhirResourceTypes.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'search-type' }],
          versioning: 'versioned',
          readHistory: false,
          searchParam: [
            { name: '_id', type: 'token' },
            { name: '_count', type: 'number', documentation: 'page size, 0 to 100, default 20' },
            ...Object.entries(searchParameters[type] ?? {}).map(([name, type]) => ({
              name,
              type,
              documentation: paramDocs[name] ?? name,
            })),
          ],
        })),
      },
    ],
  };
}
