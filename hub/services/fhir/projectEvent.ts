import type { EventDraft } from '../../../kernel/events/envelope.ts';
import {
  appointmentChange,
  criticalValueFlag,
  detectedIssueChange,
  deviceAlarmFlag,
  deviceChange,
} from './alertProjection.ts';
import { conditionChange } from './conditionProjection.ts';
import { encounterChange } from './encounterProjection.ts';
import type { ResourceChange } from './fhirTypes.ts';
import { medicationAdministrationChange, medicationRequestChange } from './medicationProjection.ts';
import {
  labOrderCancellation,
  labOrderChange,
  labResultChanges,
  vitalSignsChanges,
} from './observationProjection.ts';
import { patientChange } from './patientProjection.ts';

const one = (change: ResourceChange | undefined) => (change ? [change] : []);

/**
 * What one event does to the FHIR store: a list of resource changes (empty
 * for the event types FHIR does not represent: notifications, sagas, the
 * hub's own events). Pure: the national ID arrives from the service sealed,
 * as it is stored (patientProjection.ts).
 */
export function projectEvent(
  event: EventDraft,
  phi: { nationalId?: string; sameNationalId?: (stored: string) => boolean } = {},
): ResourceChange[] {
  switch (event.eventType) {
    case 'patient_registered':
    case 'patient_updated':
      return one(patientChange(event, phi.nationalId, phi.sameNationalId));
    case 'patient_admitted':
    case 'patient_transferred':
    case 'patient_discharged':
    case 'encounter_created':
    case 'encounter_updated':
    case 'encounter_closed':
      return one(encounterChange(event));
    case 'diagnosis_added':
    case 'diagnosis_updated':
    case 'diagnosis_resolved':
      return one(conditionChange(event));
    case 'medication_prescribed':
    case 'medication_discontinued':
      return one(medicationRequestChange(event));
    case 'medication_administered':
      return one(medicationAdministrationChange(event));
    case 'medication_interaction_detected':
    case 'drug_interaction_detected':
    case 'allergy_alert_generated':
    case 'dose_validation_failed':
      return one(detectedIssueChange(event));
    case 'lab_order_created':
      return one(labOrderChange(event));
    case 'lab_order_cancelled':
      return one(labOrderCancellation(event));
    case 'lab_result_available':
      return labResultChanges(event);
    case 'vital_signs_recorded':
      return vitalSignsChanges(event);
    case 'critical_value_detected':
    case 'alert_resolved':
      return one(criticalValueFlag(event));
    case 'device_alert_triggered':
      return one(deviceAlarmFlag(event));
    case 'device_connected':
    case 'device_disconnected':
      return one(deviceChange(event));
    case 'appointment_scheduled':
      return one(appointmentChange(event));
    default:
      return [];
  }
}

/** Event types the FHIR service turns into resources (docs/fhir.md lists the mapping). */
export const projectedEventTypes = [
  'patient_registered',
  'patient_updated',
  'patient_admitted',
  'patient_transferred',
  'patient_discharged',
  'encounter_created',
  'encounter_updated',
  'encounter_closed',
  'diagnosis_added',
  'diagnosis_updated',
  'diagnosis_resolved',
  'medication_prescribed',
  'medication_discontinued',
  'medication_administered',
  'medication_interaction_detected',
  'drug_interaction_detected',
  'allergy_alert_generated',
  'dose_validation_failed',
  'lab_order_created',
  'lab_order_cancelled',
  'lab_result_available',
  'vital_signs_recorded',
  'critical_value_detected',
  'alert_resolved',
  'device_alert_triggered',
  'device_connected',
  'device_disconnected',
  'appointment_scheduled',
] as const;
