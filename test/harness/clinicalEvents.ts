import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { FakeGateway } from './fakeGateway.ts';

/** The acting clinician that medication_prescribed and diagnosis_added require. */
export const clinician = { userId: 'dr-1', userName: 'Dr Test', userRole: 'physician' } as const;

const now = () => new Date().toISOString();

/**
 * Events of the mixed stream the hub services read, as a gateway records them.
 * `envelope` is read at each call: set its timestamp or correlationId between calls.
 */
export function clinicalEvents(
  gateway: FakeGateway,
  envelope: { timestamp?: string; correlationId?: string } = {},
) {
  const next: FakeGateway['next'] = (fields, options) => gateway.next({ ...fields, ...envelope }, options);
  return {
    registered: (patientId: string, allergies: string[] = []): ClinicalEvent =>
      next({
        eventType: 'patient_registered',
        patientId,
        data: { firstName: 'Amna', lastName: 'Osman', sex: 'female', allergies, registeredAt: now() },
      }),
    prescribed: (
      patientId: string,
      medicationRequestId: string,
      drugName: string,
      dose: { value: number; unit: string },
      frequency = 'daily',
    ): ClinicalEvent =>
      next({
        eventType: 'medication_prescribed',
        patientId,
        ...clinician,
        data: { medicationRequestId, drugName, dose, route: 'oral', frequency, prescribedAt: now() },
      }),
    diagnosis: (patientId: string, code: string): ClinicalEvent =>
      next({
        eventType: 'diagnosis_added',
        patientId,
        ...clinician,
        data: {
          diagnosisId: `dx-${code}`,
          code,
          display: 'Diagnosis',
          clinicalStatus: 'active',
          verificationStatus: 'confirmed',
          recordedAt: now(),
        },
      }),
    criticalValue: (patientId: string, alertId: string, bed = 'B-1'): ClinicalEvent =>
      next({
        eventType: 'critical_value_detected',
        patientId,
        source: 'device-integration-service',
        data: {
          alertId,
          parameter: 'spo2',
          value: 84,
          unit: '%',
          threshold: 85,
          direction: 'low',
          severity: 'critical',
          priority: 'high',
          ruleId: 'news2-spo2-3',
          bed,
          detectedAt: now(),
        },
      }),
    labResult: (patientId: string, resultId: string): ClinicalEvent =>
      next({
        eventType: 'lab_result_available',
        patientId,
        source: 'lab-service',
        data: {
          resultId,
          specimen: { specimenId: `sp-${resultId}`, type: 'whole_blood' },
          testCode: 'HGB',
          testName: 'Haemoglobin',
          value: 6.1,
          unit: 'g/dL',
          resultStatus: 'final',
          observedAt: now(),
          reportedAt: now(),
        },
      }),
    appointment: (patientId: string, appointmentId: string, practitionerId?: string): ClinicalEvent =>
      next({
        eventType: 'appointment_scheduled',
        patientId,
        data: {
          appointmentId,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          serviceType: 'antenatal care',
          ...(practitionerId ? { practitionerId } : {}),
          scheduledAt: now(),
        },
      }),
  };
}
