/**
 * The event catalogue: every event type the platform knows, with its topic,
 * sync lane, subject, publishers and versioned `data` schema. The platform design's 25
 * clinical types (patient, encounter, diagnosis, medication, lab, device,
 * Sudan-specific) plus the types the gateway and hub services publish.
 */
import type { EventTypeSpec } from './eventTypeSpec.ts';
import { admissionSagaEvents } from './schemas/admissionSaga.ts';
import { alertEvents } from './schemas/alert.ts';
import { appointmentEvents } from './schemas/appointments.ts';
import { auditEvents } from './schemas/audit.ts';
import { cdsEvents } from './schemas/cds.ts';
import { deviceEvents } from './schemas/device.ts';
import { diagnosisEvents } from './schemas/diagnosis.ts';
import { encounterEvents } from './schemas/encounter.ts';
import { fhirEvents } from './schemas/fhir.ts';
import { labEvents } from './schemas/lab.ts';
import { medicationEvents } from './schemas/medication.ts';
import { notificationEvents, notificationFailedEvents } from './schemas/notifications.ts';
import { patientEvents } from './schemas/patient.ts';
import { sudanEvents } from './schemas/sudan.ts';

const allSpecs: readonly EventTypeSpec[] = [
  ...patientEvents,
  ...encounterEvents,
  ...diagnosisEvents,
  ...medicationEvents,
  ...labEvents,
  ...deviceEvents,
  ...alertEvents,
  ...sudanEvents,
  // What the hub services and the admission saga publish.
  ...notificationEvents,
  ...fhirEvents,
  ...auditEvents,
  ...cdsEvents,
  ...appointmentEvents,
  ...admissionSagaEvents,
  ...notificationFailedEvents,
];

function indexByType(specs: readonly EventTypeSpec[]): ReadonlyMap<string, EventTypeSpec> {
  const byType = new Map<string, EventTypeSpec>();
  for (const spec of specs) {
    if (byType.has(spec.eventType)) throw new Error(`event catalogue: ${spec.eventType} is declared twice`);
    byType.set(spec.eventType, spec);
  }
  return byType;
}

export const eventCatalogue: ReadonlyMap<string, EventTypeSpec> = indexByType(allSpecs);

export function specOf(eventType: string): EventTypeSpec | undefined {
  return eventCatalogue.get(eventType);
}

/** The platform design's clinical event types ("Event Types" > "Clinical Events"). */
export const seedEventTypes = [
  'patient_registered',
  'patient_updated',
  'patient_admitted',
  'patient_discharged',
  'patient_transferred',
  'encounter_created',
  'encounter_updated',
  'encounter_closed',
  'diagnosis_added',
  'diagnosis_updated',
  'diagnosis_resolved',
  'medication_prescribed',
  'medication_administered',
  'medication_discontinued',
  'medication_interaction_detected',
  'lab_order_created',
  'lab_result_available',
  'critical_value_detected',
  'vital_signs_recorded',
  'device_alert_triggered',
  'device_connected',
  'device_disconnected',
  'sudan_national_id_accessed',
  'sudan_moh_report_generated',
] as const;
