/**
 * One valid `data` example per event type, and the envelope around it. A test
 * checks that every catalogue type has one, so a new type comes with an example.
 * Values are Sudanese clinic cases: falciparum malaria, severe anaemia, SpO2 88 %.
 */
import { specOf } from '../../kernel/events/catalogue.ts';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import type { JsonObject } from '../../kernel/events/json.ts';

const at = '2024-10-08T10:30:45.123Z';
const patient = {
  patientId: 'patient-uuid',
  facilityId: 'khartoum-hospital-uuid',
  tenantId: 'sudan-ministry-uuid',
};
const actor = { userId: 'user-uuid', userName: 'Dr. Ahmed Hassan', userRole: 'physician' };
const encounterId = 'enc-2024-000123';
const malaria = { medicationRequestId: 'rx-1', drugName: 'Artemether/Lumefantrine 20/120 mg' };
const fourTablets = { value: 4, unit: 'tablet' };

export const exampleData: Readonly<Record<string, JsonObject>> = {
  patient_registered: {
    firstName: 'Ahmed',
    lastName: 'Mohamed',
    sex: 'male',
    sudanNationalId: 'ABC123456789',
    phone: '+249912345678',
    registeredAt: at,
  },
  patient_updated: { changes: { phone: '+249912345679', sudanState: 'Khartoum' }, updatedAt: at },
  patient_admitted: { encounterId, ward: 'Medical Ward A', bed: 'A-12', admittedAt: at },
  patient_transferred: { encounterId, fromWard: 'Medical Ward A', toWard: 'ICU', transferredAt: at },
  patient_discharged: { encounterId, disposition: 'home', dischargedAt: at },
  encounter_created: { encounterId, encounterClass: 'outpatient', reason: 'Fever for 3 days', startedAt: at },
  encounter_updated: {
    encounterId,
    attendingPhysician: { practitionerId: 'u-physician-1', display: 'Dr. Amna Yousif' },
    notes: 'Vomiting twice',
    updatedAt: at,
  },
  encounter_closed: { encounterId, reason: 'visit_completed', closedAt: at },
  diagnosis_added: {
    diagnosisId: 'dx-1',
    encounterId,
    code: 'B50.9',
    display: 'Plasmodium falciparum malaria, unspecified',
    clinicalStatus: 'active',
    verificationStatus: 'provisional',
    category: 'encounter-diagnosis',
    primary: true,
    onset: '2024-10-05',
    recordedAt: at,
  },
  diagnosis_updated: {
    diagnosisId: 'dx-1',
    verificationStatus: 'confirmed',
    reason: 'RDT positive',
    updatedAt: at,
  },
  diagnosis_resolved: { diagnosisId: 'dx-1', clinicalStatus: 'resolved', resolvedAt: at },
  medication_prescribed: {
    ...malaria,
    encounterId,
    atcCode: 'P01BF01',
    dose: fourTablets,
    route: 'oral',
    frequency: 'bid',
    duration: { value: 3, unit: 'd' },
    diagnosisId: 'dx-1',
    prescribedAt: at,
  },
  medication_administered: {
    administrationId: 'mar-1',
    medicationRequestId: 'rx-1',
    status: 'given',
    doseGiven: fourTablets,
    route: 'oral',
    administeredAt: at,
  },
  medication_discontinued: { medicationRequestId: 'rx-1', reason: 'course_completed', discontinuedAt: at },
  medication_interaction_detected: {
    interactionId: 'ix-1',
    drugs: [
      { drugName: 'Artemether/Lumefantrine', atcCode: 'P01BF01', medicationRequestId: 'rx-1' },
      { drugName: 'Quinine', atcCode: 'P01BC01', medicationRequestId: 'rx-2' },
    ],
    severity: 'major',
    description: 'Both prolong the QT interval.',
    source: 'WHO Model Formulary',
    detectedAt: at,
  },
  medication_due: { ...malaria, dose: fourTablets, route: 'oral', bed: 'A-12', dueAt: at },
  lab_order_created: {
    orderId: 'lab-1',
    encounterId,
    tests: [{ testCode: '718-7', testName: 'Hemoglobin' }],
    priority: 'urgent',
    orderedAt: at,
  },
  lab_specimen_collected: { orderId: 'lab-1', specimenId: 'SP-0042', collectedAt: at },
  lab_order_cancelled: { orderId: 'lab-1', reason: 'Ordered on the wrong patient', cancelledAt: at },
  lab_result_available: {
    resultId: 'res-1',
    orderId: 'lab-1',
    specimen: { specimenId: 'SP-0042', type: 'whole_blood' },
    testCode: '718-7',
    testName: 'Hemoglobin',
    value: 5.8,
    unit: 'g/dL',
    referenceRange: { low: 13, high: 17 },
    flags: ['LL'],
    resultStatus: 'final',
    analyzer: 'Mindray BC-3000',
    observedAt: at,
    reportedAt: at,
  },
  vital_signs_recorded: {
    method: 'device',
    deviceId: 'device-uuid',
    measuredAt: at,
    oxygenSaturation: { value: 97, unit: '%' },
    heartRate: { value: 88, unit: '/min' },
  },
  device_alert_triggered: {
    deviceId: 'device-uuid',
    alarmCode: 'SPO2_PROBE_OFF',
    priority: 'medium',
    kind: 'technical',
    triggeredAt: at,
  },
  device_connected: { deviceId: 'device-uuid', transport: 'mqtt', connectedAt: at },
  device_disconnected: {
    deviceId: 'device-uuid',
    transport: 'serial',
    reason: 'unplugged',
    disconnectedAt: at,
  },
  critical_value_detected: {
    alertId: 'alert-1',
    parameter: 'oxygenSaturation',
    value: 88,
    threshold: 90,
    direction: 'low',
    severity: 'critical',
    priority: 'high',
    ruleId: 'spo2-low',
    deviceId: 'device-uuid',
    detectedAt: at,
  },
  alert_acknowledged: { alertId: 'alert-1', acknowledgedAt: at },
  alert_escalated: {
    alertId: 'alert-1',
    level: 1,
    reason: 'not_acknowledged',
    unacknowledgedSeconds: 120,
    escalatedAt: at,
  },
  alert_resolved: {
    alertId: 'alert-1',
    parameter: 'oxygenSaturation',
    reason: 'returned_to_range',
    value: 95,
    resolvedAt: at,
  },
  sudan_national_id_accessed: {
    accessReason: 'Medical consultation',
    accessedAt: '2024-10-08T10:30:00Z',
    ipAddress: '192.168.1.100',
    requiresAudit: true,
  },
  sudan_moh_report_generated: {
    reportId: 'report-uuid',
    reportType: 'quarterly_quality_metrics',
    reportingPeriod: 'Q3 2024',
    complianceStatus: 'compliant',
    overallScore: 87,
    generatedAt: '2024-10-08T10:00:00Z',
  },
  notification_sent: {
    notificationId: 'ntf-1',
    channel: 'sms',
    recipientId: 'user-oncall',
    recipientKind: 'staff',
    purpose: 'critical_value',
    alertId: 'alert-1',
    sentAt: at,
  },
  sms_delivered: { notificationId: 'ntf-1', via: 'gsm_modem', deliveredAt: at },
  email_sent: {
    notificationId: 'ntf-2',
    recipientId: 'user-oncall',
    recipientKind: 'staff',
    purpose: 'lab_result',
    sentAt: at,
  },
  fhir_resource_created: {
    resourceType: 'Patient',
    resourceId: 'pat-1',
    sourceEventId: '01926a7c-3b2e-7d41-9a5f-0c8e1b2d3f41',
    createdAt: at,
  },
  fhir_resource_updated: {
    resourceType: 'Patient',
    resourceId: 'pat-1',
    versionId: '2',
    sourceEventId: '01926a7c-3b2e-7d41-9a5f-0c8e1b2d3f42',
    updatedAt: at,
  },
  audit_log_created: {
    auditLogId: 'aud-1',
    action: 'decrypt',
    resourceType: 'Patient',
    outcome: 'success',
    loggedAt: at,
  },
  compliance_violation_detected: {
    violationId: 'cv-1',
    violationType: 'unauthorized_publisher',
    severity: 'high',
    description: 'patient_registered published by billing-service',
    offendingSource: 'billing-service',
    detectedAt: at,
  },
  drug_interaction_detected: {
    cdsAlertId: 'cds-1',
    medicationRequestId: 'rx-2',
    drugs: [{ drugName: 'Quinine' }, { drugName: 'Artemether/Lumefantrine' }],
    severity: 'major',
    description: 'Both prolong the QT interval.',
    detectedAt: at,
  },
  allergy_alert_generated: {
    cdsAlertId: 'cds-2',
    medicationRequestId: 'rx-3',
    drugName: 'Amoxicillin 500 mg',
    allergen: 'Penicillin',
    criticality: 'high',
    description: 'Penicillin allergy recorded; amoxicillin is a penicillin.',
    detectedAt: at,
  },
  dose_validation_failed: {
    cdsAlertId: 'cds-3',
    medicationRequestId: 'rx-4',
    drugName: 'Paracetamol 500 mg',
    dose: { value: 2, unit: 'g' },
    rule: 'above_max_single_dose',
    limit: 'max 1 g per dose',
    description: 'Single dose 2 g exceeds 1 g.',
    detectedAt: at,
  },
  appointment_scheduled: {
    appointmentId: 'apt-1',
    startsAt: '2024-10-15T09:00:00Z',
    serviceType: 'Antenatal care',
    scheduledAt: at,
  },
  admission_saga_started: { sagaId: 'saga-1', ward: 'Medical Ward A', startedAt: at },
  bed_reserved: { sagaId: 'saga-1', ward: 'Medical Ward A', bed: 'A-12', reservedAt: at },
  bed_released: {
    sagaId: 'saga-1',
    ward: 'Medical Ward A',
    bed: 'A-12',
    reason: 'saga_compensation',
    releasedAt: at,
  },
  care_team_notified: { sagaId: 'saga-1', encounterId, recipientIds: ['user-1', 'user-2'], notifiedAt: at },
  admission_saga_completed: {
    sagaId: 'saga-1',
    encounterId,
    ward: 'Medical Ward A',
    bed: 'A-12',
    completedAt: at,
  },
  admission_saga_failed: {
    sagaId: 'saga-1',
    failedStep: 'notify_care_team',
    reason: 'No on-call nurse reachable',
    compensations: ['close_encounter', 'release_bed'],
    failedAt: at,
  },
  notification_failed: {
    notificationId: 'ntf-3',
    channel: 'sms',
    recipientId: 'user-oncall',
    recipientKind: 'staff',
    purpose: 'alert_escalation',
    alertId: 'alert-1',
    attempt: 2,
    errorCode: 'GW_ERR_GSM_SEND_FAILED',
    reason: 'SMS not sent: +CMS ERROR 331 (no network service)',
    willRetry: true,
    failedAt: at,
  },
  admission_saga_step_failed: {
    sagaId: 'saga-1',
    failedStep: 'notify_care_team',
    cause: 'step_failed',
    reason: 'care team webhook answered HTTP 500',
    failedAt: at,
  },
};

/**
 * A valid draft of `eventType`: its example data in an envelope that fits the
 * catalogue entry (a patient unless the subject is the facility, the acting
 * user when one is required, the first authorised publisher as source).
 */
export function exampleDraft(eventType: string, data?: JsonObject): EventDraft {
  const spec = specOf(eventType);
  const example = data ?? exampleData[eventType];
  if (!spec || !example) throw new Error(`exampleDraft: no catalogue entry or example for ${eventType}`);
  const { patientId, ...facility } = patient;
  return {
    eventId: '01926a7c-3b2e-7d41-9a5f-0c8e1b2d3f40',
    eventType,
    timestamp: at,
    version: spec.version,
    ...(spec.subject === 'facility' ? facility : { patientId, ...facility }),
    ...(spec.actorRequired ? actor : {}),
    source: spec.publishers[0] ?? 'unknown',
    data: structuredClone(example),
  };
}

/** A copy of `value` without `keys` (for drafts that lack a field). */
export function without<T extends object>(value: T, ...keys: string[]): T {
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of keys) delete copy[key];
  return copy as T;
}
