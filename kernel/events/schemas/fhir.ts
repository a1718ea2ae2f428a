/** What the hub's FHIR service publishes (the platform design, "Event Handlers by Service": FHIR service). */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, eventId, objectOf } from './common.ts';
import { define, family } from './serviceFamily.ts';

// clinical-events, which every service reads: a FHIR resource is a clinical record.
const fhir = family('clinical-events', 'clinical', 'patientOrFacility', 'fhir-service');
/** FHIR R4 `id` datatype. */
const fhirId = { type: 'string', pattern: '^[A-Za-z0-9.-]{1,64}$' } as const;
const fhirResource = {
  resourceType: {
    type: 'string',
    // biome-ignore format: a list of codes reads best wrapped
    enum: [
      'Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'ServiceRequest',
      'MedicationRequest', 'MedicationAdministration', 'AllergyIntolerance', 'Appointment', 'Device', 'Location',
      // 1.1: alerts (Flag), CDS findings (DetectedIssue) and national-ID reads (AuditEvent).
      'Flag', 'DetectedIssue', 'AuditEvent',
    ],
  },
  resourceId: fhirId,
  versionId: fhirId,
  /** The event the resource was made from. */
  sourceEventId: eventId,
} as const;

export const fhirEvents: EventTypeSpec[] = [
  define(
    fhir,
    'fhir_resource_created',
    'The FHIR service created a FHIR R4 resource from an event.',
    objectOf(['resourceType', 'resourceId', 'sourceEventId', 'createdAt'], {
      ...fhirResource,
      createdAt: dateTime,
    }),
    '1.1',
  ),
  define(
    fhir,
    'fhir_resource_updated',
    'The FHIR service wrote a new version of a FHIR R4 resource.',
    objectOf(['resourceType', 'resourceId', 'versionId', 'sourceEventId', 'updatedAt'], {
      ...fhirResource,
      updatedAt: dateTime,
    }),
    '1.1',
  ),
];
