import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import { routeOf } from '../../../kernel/events/routing.ts';

const facilityId = 'khartoum-hospital-uuid';

describe('routeOf', () => {
  it('keys an event about a patient by patientId, so one patient stays in order', () => {
    const route = routeOf({ eventType: 'vital_signs_recorded', patientId: 'patient-uuid', facilityId });
    expect(route).toEqual({ topic: 'device-events', key: 'patient-uuid' });
  });

  it('keys an event without a patient by facilityId', () => {
    expect(routeOf({ eventType: 'device_connected', facilityId }).key).toBe(facilityId);
    expect(routeOf({ eventType: 'vital_signs_recorded', facilityId }).key).toBe(facilityId);
  });

  it.each([
    ['patient_registered', 'patient-events'],
    ['encounter_created', 'clinical-events'],
    ['diagnosis_added', 'clinical-events'],
    ['medication_prescribed', 'medication-events'],
    ['lab_result_available', 'lab-events'],
    ['vital_signs_recorded', 'device-events'],
    ['critical_value_detected', 'alert-events'],
    ['notification_sent', 'alert-events'],
    ['appointment_scheduled', 'appointment-events'],
    ['audit_log_created', 'audit-events'],
    ['sudan_national_id_accessed', 'sudan-compliance-events'],
    ['sudan_moh_report_generated', 'sudan-compliance-events'],
  ])('sends %s to %s', (eventType, topic) => {
    expect(routeOf({ eventType, patientId: 'patient-uuid', facilityId }).topic).toBe(topic);
  });

  it.each([...eventCatalogue.values()].map((spec) => [spec.eventType, spec.topic]))(
    'sends %s to the topic of its catalogue entry (%s)',
    (eventType, topic) => {
      expect(routeOf({ eventType, facilityId }).topic).toBe(topic);
    },
  );

  it('throws for an event type that is not in the catalogue, naming it', () => {
    expect(() => routeOf({ eventType: 'patient_teleported', facilityId })).toThrow(/patient_teleported/);
  });
});
