/** A FHIR R4 resource as JSON: the store keeps it as JSONB, the API serves it as is. */
export interface FhirResource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string; lastUpdated?: string; profile?: string[] };
  [field: string]: unknown;
}

/**
 * What one event does to one resource: which resource (type and id), whose
 * patient it is (for search and for the fhir_resource_* event), and a pure
 * function from the current version (undefined: none yet) to the next.
 */
export interface ResourceChange {
  resourceType: string;
  id: string;
  patientId?: string;
  apply(current: FhirResource | undefined): FhirResource;
}

/** The resource types the hub's FHIR service writes (CapabilityStatement, fhir_resource_* events). */
export const fhirResourceTypes = [
  'Patient',
  'Encounter',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationAdministration',
  'DiagnosticReport',
  'ServiceRequest',
  'Device',
  'Flag',
  'DetectedIssue',
  'Appointment',
  'AuditEvent',
] as const;

export type FhirResourceType = (typeof fhirResourceTypes)[number];
