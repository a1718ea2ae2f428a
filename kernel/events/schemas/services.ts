/**
 * What the hub services and the admission saga publish (seed "Event Handlers
 * by Service": the Publishes lists of the Notification, FHIR, Audit and CDS
 * services, and appointment_scheduled to which Notification subscribes;
 * "Event Flow Patterns" > "Saga Pattern": the admission saga's steps).
 */
import type { DataSchema, EventSubject, EventTypeSpec, SyncLane } from '../eventTypeSpec.ts';
import type { TopicName } from '../../kafka/kafkaTopics.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { dose, interactingDrug, interactionSeverity } from './medication.ts';

/** Where a family of events goes and who may publish it. */
type Family = Pick<EventTypeSpec, 'topic' | 'lane' | 'subject' | 'publishers'>;

function family(topic: TopicName, lane: SyncLane, subject: EventSubject, ...publishers: string[]): Family {
  return { topic, lane, subject, publishers };
}

/** One catalogue entry of a family; every type here is at 1.0 (pass `version` to bump one). */
function define(where: Family, eventType: string, what: string, dataSchema: DataSchema, version = '1.0') {
  return { eventType, version, ...where, description: what, dataSchema } satisfies EventTypeSpec;
}

const eventId = { type: 'string', format: 'uuid' } as const;
const channel = { type: 'string', enum: ['sms', 'email', 'push', 'in_app', 'voice'] } as const;

// --- Notifications ----------------------------------------------------------
// On alert-events, not clinical-events: most notifications answer an alert
// (critical value, escalation), and on the same topic with the same key
// (patientId) "alert raised -> escalated -> SMS sent -> delivered" stays in
// order for one patient. The alert lane makes a gateway's own SMS (GSM modem,
// guarantee 6) reach the hub early, so the hub does not notify a second time.
// The recipient's phone or e-mail is never in the event (PHI stays out of
// the log): recipientId names the user or patient and the service resolves it.
const notifications = family(
  'alert-events',
  'alert',
  'patientOrFacility',
  'notification-service',
  'gateway-service',
);
const recipient = { recipientId: id, recipientKind: { type: 'string', enum: ['staff', 'patient'] } } as const;
const purpose = {
  type: 'string',
  enum: ['critical_value', 'alert_escalation', 'lab_result', 'medication_due', 'appointment', 'other'],
} as const;

const notificationEvents = [
  define(
    notifications,
    'notification_sent',
    'A notification left for a person: SMS, e-mail, push, in-app message or voice call.',
    objectOf(['notificationId', 'channel', 'recipientId', 'recipientKind', 'purpose', 'sentAt'], {
      notificationId: id,
      channel,
      ...recipient,
      purpose,
      /** The alert it answers, for critical values and escalations. */
      alertId: id,
      attempt: { type: 'integer', minimum: 1, maximum: 20 },
      sentAt: dateTime,
    }),
  ),
  define(
    notifications,
    'sms_delivered',
    'The mobile network confirmed that an SMS reached the phone.',
    objectOf(['notificationId', 'via', 'deliveredAt'], {
      notificationId: id,
      via: { type: 'string', enum: ['gsm_modem', 'sms_gateway'] },
      providerMessageId: text(100),
      deliveredAt: dateTime,
    }),
  ),
  define(
    // E-mail needs the internet: only the hub's notification service sends it.
    { ...notifications, publishers: ['notification-service'] },
    'email_sent',
    'The mail server accepted an e-mail notification.',
    objectOf(['notificationId', 'recipientId', 'recipientKind', 'purpose', 'sentAt'], {
      notificationId: id,
      ...recipient,
      purpose,
      messageId: text(200),
      sentAt: dateTime,
    }),
  ),
];

// --- FHIR -------------------------------------------------------------------
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

const fhirEvents = [
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

// --- Audit and compliance ---------------------------------------------------
const auditEvents = [
  define(
    family('audit-events', 'audit', 'patientOrFacility', 'audit-service'),
    'audit_log_created',
    'The audit service wrote an entry of the audit trail; the envelope names the actor.',
    objectOf(['auditLogId', 'action', 'resourceType', 'outcome', 'loggedAt'], {
      auditLogId: id,
      // biome-ignore format: a list of codes reads best wrapped
      action: { type: 'string', enum: ['create', 'read', 'update', 'delete', 'decrypt', 'export', 'print', 'login', 'logout'] },
      resourceType: text(64),
      resourceId: id,
      outcome: { type: 'string', enum: ['success', 'failure'] },
      sourceEventId: eventId,
      loggedAt: dateTime,
    }),
  ),
  define(
    // sudan-compliance-events: read by the compliance service and the MoH, kept seven
    // years. Lane audit, not alert: it is for compliance officers, not a bedside alarm.
    family('sudan-compliance-events', 'audit', 'patientOrFacility', 'audit-service', 'compliance-service'),
    'compliance_violation_detected',
    'A rule of PHI protection or event integrity was broken (DESIGN.md guarantees 4 and 8).',
    objectOf(['violationId', 'violationType', 'severity', 'description', 'detectedAt'], {
      violationId: id,
      violationType: {
        type: 'string',
        // biome-ignore format: a list of codes reads best wrapped
        enum: [
          'unauthorized_publisher', 'suspicious_phi_access', 'unencrypted_phi', 'hash_chain_broken',
          'sequence_gap', 'schema_violation', 'other',
        ],
      },
      severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
      description: text(1000),
      offendingEventId: eventId,
      offendingSource: text(64),
      gatewayId: id,
      detectedAt: dateTime,
    }),
  ),
];

// --- Clinical decision support ----------------------------------------------
// On alert-events, lane alert: each is a warning to the prescriber, which the
// notification service (alert-events' consumer) delivers. Each names the
// prescription it checked. cdsAlertId, not alertId: alert.ts's alert episodes
// are critical values, acknowledged and escalated at the bedside.
const cds = family('alert-events', 'alert', 'patient', 'cds-service');
const cdsFinding = (required: readonly string[], properties: Record<string, unknown>) =>
  objectOf(['cdsAlertId', 'medicationRequestId', ...required, 'description', 'detectedAt'], {
    cdsAlertId: id,
    medicationRequestId: id,
    ...properties,
    description: text(1000),
    detectedAt: dateTime,
  });

const cdsEvents = [
  define(
    cds,
    'drug_interaction_detected',
    'CDS found an interaction between a new prescription and another drug.',
    cdsFinding(['drugs', 'severity'], {
      drugs: { type: 'array', minItems: 2, maxItems: 2, items: interactingDrug },
      severity: interactionSeverity,
      source: text(128),
      recommendation: text(500),
    }),
  ),
  define(
    cds,
    'allergy_alert_generated',
    'CDS found a prescription for a drug the patient is allergic to.',
    cdsFinding(['drugName', 'allergen', 'criticality'], {
      drugName: text(200),
      allergen: text(200),
      reaction: text(200),
      /** FHIR AllergyIntolerance criticality. */
      criticality: { type: 'string', enum: ['low', 'high', 'unable-to-assess'] },
    }),
  ),
  define(
    cds,
    'dose_validation_failed',
    'CDS found a prescribed dose outside the safe range for the patient.',
    cdsFinding(['drugName', 'dose', 'rule'], {
      drugName: text(200),
      dose,
      rule: {
        type: 'string',
        // biome-ignore format: a list of codes reads best wrapped
        enum: [
          'above_max_single_dose', 'above_max_daily_dose', 'below_min_dose', 'weight_based_out_of_range',
          'renal_adjustment_needed', 'age_contraindicated', 'pregnancy_contraindicated', 'other',
        ],
      },
      /** The limit broken, as the reference states it: "max 4 g/day", "10-15 mg/kg". */
      limit: text(100),
      patientWeightKg: { type: 'number', exclusiveMinimum: 0, maximum: 350 },
    }),
  ),
];

// --- Appointments -----------------------------------------------------------
const appointmentScheduled = define(
  family('appointment-events', 'clinical', 'patient', 'appointment-service', 'gateway-service'),
  'appointment_scheduled',
  'A visit was booked (antenatal care, follow-up, vaccination ...); Notification confirms it.',
  objectOf(['appointmentId', 'startsAt', 'serviceType', 'scheduledAt'], {
    appointmentId: id,
    startsAt: dateTime,
    durationMinutes: { type: 'integer', minimum: 5, maximum: 480 },
    serviceType: text(100),
    practitionerId: id,
    location: text(100),
    reason: text(500),
    scheduledAt: dateTime,
  }),
);

// --- Admission saga (seed "Saga Pattern") -----------------------------------
// On clinical-events, which every service reads: each step is read by the
// others. The orchestrator runs at the hub (ehr-service) or, when the clinic
// is offline, on the gateway, which keeps the clinic's bed board.
const saga = family('clinical-events', 'clinical', 'patient', 'gateway-service', 'ehr-service');
const sagaStep = (required: readonly string[], properties: Record<string, unknown>) =>
  objectOf(['sagaId', ...required], { sagaId: id, ...properties });
const ward = text(64);
const bed = text(32);
// The seed's "delete_encounter" is close_encounter here: the log is append-only,
// so the encounter ends with encounter_closed (reason admission_cancelled).
const compensation = { type: 'string', enum: ['release_bed', 'close_encounter'] } as const;

const admissionSagaEvents = [
  define(
    saga,
    'admission_saga_started',
    'An admission began: reserve a bed, create the encounter, notify the care team.',
    // 1.1 adds encounterClass and attendingPhysician (optional), which a saga
    // resumed after a restart needs to create the encounter and admit.
    sagaStep(['ward', 'startedAt'], {
      ward,
      bed,
      reason: text(500),
      encounterClass: { type: 'string', enum: ['inpatient', 'outpatient', 'emergency', 'maternity'] },
      attendingPhysician: text(128),
      startedAt: dateTime,
    }),
    '1.1',
  ),
  define(
    saga,
    'bed_reserved',
    'Step 1 of the admission saga: a bed is held for the patient.',
    sagaStep(['ward', 'bed', 'reservedAt'], { ward, bed, reservedAt: dateTime, expiresAt: dateTime }),
  ),
  define(
    saga,
    'bed_released',
    'A held bed was given up: compensation of a failed admission, or the hold expired.',
    sagaStep(['ward', 'bed', 'reason', 'releasedAt'], {
      ward,
      bed,
      reason: { type: 'string', enum: ['saga_compensation', 'reservation_expired', 'admission_cancelled'] },
      releasedAt: dateTime,
    }),
  ),
  define(
    { ...saga, publishers: ['notification-service', 'gateway-service'] },
    'care_team_notified',
    'Step 3 of the admission saga: the care team was told of the admission.',
    sagaStep(['encounterId', 'recipientIds', 'notifiedAt'], {
      encounterId: id,
      recipientIds: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: id },
      channels: { type: 'array', maxItems: 5, uniqueItems: true, items: channel },
      notifiedAt: dateTime,
    }),
  ),
  define(
    saga,
    'admission_saga_completed',
    'All steps of the admission succeeded; the patient is admitted.',
    sagaStep(['encounterId', 'ward', 'completedAt'], { encounterId: id, ward, bed, completedAt: dateTime }),
  ),
  define(
    saga,
    'admission_saga_failed',
    'A step of the admission failed and the steps before it were compensated.',
    sagaStep(['failedStep', 'reason', 'compensations', 'failedAt'], {
      failedStep: { type: 'string', enum: ['reserve_bed', 'create_encounter', 'notify_care_team'] },
      reason: text(500),
      compensations: { type: 'array', maxItems: 2, uniqueItems: true, items: compensation },
      failedAt: dateTime,
    }),
  ),
  define(
    saga,
    'admission_saga_step_failed',
    'A step of the admission failed; its earlier steps are compensated next, in reverse order.',
    // Recorded before any compensation, so a gateway restarted mid-compensation
    // carries on compensating (and knows why) instead of retrying the step.
    sagaStep(['failedStep', 'cause', 'reason', 'failedAt'], {
      failedStep: { type: 'string', enum: ['reserve_bed', 'create_encounter', 'notify_care_team'] },
      cause: { type: 'string', enum: ['step_failed', 'reservation_expired'] },
      reason: text(500),
      failedAt: dateTime,
    }),
  ),
];

// --- A notification that could not be sent ----------------------------------
// The gateway's GSM modem (drivers/gsm/) records each failed attempt, so the
// hub and an auditor see that an escalation SMS did not go, why, and whether
// it will be tried again; the hub's notification service may take over.
const notificationFailed = define(
  notifications,
  'notification_failed',
  'An attempt to send a notification failed: why, which attempt, and whether it will be retried.',
  objectOf(
    [
      'notificationId',
      'channel',
      'recipientId',
      'recipientKind',
      'purpose',
      'attempt',
      'errorCode',
      'reason',
      'willRetry',
      'failedAt',
    ],
    {
      notificationId: id,
      channel,
      ...recipient,
      purpose,
      alertId: id,
      attempt: { type: 'integer', minimum: 1, maximum: 20 },
      /** A coded error (GW_ERR_GSM_..., a hub code): never free text with PHI. */
      errorCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{2,63}$' },
      reason: text(500),
      willRetry: { type: 'boolean' },
      failedAt: dateTime,
    },
  ),
);

export const serviceEvents: EventTypeSpec[] = [
  ...notificationEvents,
  ...fhirEvents,
  ...auditEvents,
  ...cdsEvents,
  appointmentScheduled,
  ...admissionSagaEvents,
  notificationFailed,
];
