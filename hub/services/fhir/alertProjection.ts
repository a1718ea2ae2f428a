import { flagReason, isCriticalFlag } from '../../../kernel/clinical/analyzerFlags.ts';
import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, ref, systems } from './fhirIds.ts';
import type { ResourceChange } from './fhirTypes.ts';
import { clean, concept, type Data, merged, num, patientRef, str, textConcept } from './projectionKit.ts';

/** Flag.subject must name something; an alert of a device bound to no patient names its facility. */
function flagSubject(event: EventDraft, data: Data) {
  return (
    patientRef(event) ?? { display: [event.facilityId, str(data, 'bed')].filter(Boolean).join(', bed ') }
  );
}

/** Flag from critical_value_detected (active) and alert_resolved (inactive), by alertId. */
export function criticalValueFlag(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const alertId = str(data, 'alertId');
  if (!alertId) return undefined;
  const id = fhirId(alertId);
  return {
    resourceType: 'Flag',
    id,
    ...(event.patientId ? { patientId: event.patientId } : {}),
    apply: (current) => {
      if (event.eventType === 'alert_resolved') {
        const base = current ?? {
          resourceType: 'Flag',
          id,
          category: [concept(systems.flagCategory, 'clinical', 'Clinical')],
          code: textConcept(`${str(data, 'parameter')} alert`),
          subject: flagSubject(event, data),
        };
        return merged(base, 'Flag', id, {
          status: 'inactive',
          period: clean({ ...(current?.period as object | undefined), end: str(data, 'resolvedAt') }),
        });
      }
      const parameter = str(data, 'parameter') ?? 'value';
      const direction = str(data, 'direction') ?? '';
      const value = num(data, 'value') ?? str(data, 'valueText');
      const unit = num(data, 'value') !== undefined ? (str(data, 'unit') ?? '') : '';
      const flag = str(data, 'flag');
      // critical_value_detected 2.0: an alert the analyzer's flag raised says so, in words.
      const reason = flag && isCriticalFlag(flag) ? `, ${flagReason(flag)}` : '';
      // A resolution that arrived first (another partition) stays resolved.
      const status = current?.status === 'inactive' ? 'inactive' : 'active';
      return merged(current, 'Flag', id, {
        identifier: [{ system: 'urn:nilecare:sid:alert-id', value: alertId }],
        status,
        category: [concept(systems.flagCategory, 'clinical', 'Clinical')],
        code: textConcept(
          `Critical value (${str(data, 'severity')}): ${parameter} ${direction} ${value ?? ''} ${unit}`
            .replace(/\s+/g, ' ')
            .trim() + reason,
        ),
        subject: flagSubject(event, data),
        period: clean({
          start: str(data, 'detectedAt'),
          end: (current?.period as { end?: string } | undefined)?.end,
        }),
      });
    },
  };
}

/** Flag from device_alert_triggered: the device's own alarm, one per event. */
export function deviceAlarmFlag(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const id = fhirId(event.eventId);
  return {
    resourceType: 'Flag',
    id,
    ...(event.patientId ? { patientId: event.patientId } : {}),
    apply: (current) =>
      merged(current, 'Flag', id, {
        status: 'active',
        category: [concept(systems.flagCategory, str(data, 'kind') === 'technical' ? 'admin' : 'clinical')],
        code: textConcept(`Device alarm ${str(data, 'alarmCode')} (${str(data, 'priority')} priority)`),
        subject: flagSubject(event, data),
        period: { start: str(data, 'triggeredAt') },
        author: str(data, 'deviceId') ? ref('Device', str(data, 'deviceId')!) : undefined,
      }),
  };
}

const issueCodes: Record<string, [string, string]> = {
  medication_interaction_detected: ['DRG', 'Drug Interaction Alert'],
  drug_interaction_detected: ['DRG', 'Drug Interaction Alert'],
  allergy_alert_generated: ['ALGY', 'Allergy Alert'],
  dose_validation_failed: ['DOSE', 'Dosage problem'],
};

function issueSeverity(data: Data): string | undefined {
  switch (str(data, 'severity') ?? str(data, 'criticality')) {
    case 'contraindicated':
    case 'major':
    case 'high':
      return 'high';
    case 'moderate':
      return 'moderate';
    case 'minor':
    case 'low':
      return 'low';
    default:
      return undefined;
  }
}

/** DetectedIssue from the medication and CDS findings (interaction, allergy, dose). */
export function detectedIssueChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const findingId = str(data, 'interactionId') ?? str(data, 'cdsAlertId');
  const code = issueCodes[event.eventType];
  if (!findingId || !code) return undefined;
  const id = fhirId(findingId);
  const drugs = (Array.isArray(data.drugs) ? data.drugs : []) as Data[];
  const requests = [
    str(data, 'medicationRequestId'),
    ...drugs.map((drug) => str(drug, 'medicationRequestId')),
  ].filter((value, index, all): value is string => value !== undefined && all.indexOf(value) === index);
  return {
    resourceType: 'DetectedIssue',
    id,
    ...(event.patientId ? { patientId: event.patientId } : {}),
    apply: (current) =>
      merged(current, 'DetectedIssue', id, {
        identifier: [{ system: 'urn:nilecare:sid:finding-id', value: findingId }],
        status: 'final',
        code: concept(systems.v3ActCode, code[0], code[1]),
        severity: issueSeverity(data),
        patient: patientRef(event),
        identifiedDateTime: str(data, 'detectedAt'),
        author: { display: event.source },
        implicated: requests.map((request) => ref('MedicationRequest', request)),
        detail: str(data, 'description'),
        reference: undefined,
        mitigation: str(data, 'recommendation')
          ? [{ action: textConcept(str(data, 'recommendation')!) }]
          : undefined,
      }),
  };
}

/** Device from device_connected (active) and device_disconnected (inactive). */
export function deviceChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const deviceId = str(data, 'deviceId');
  if (!deviceId) return undefined;
  const id = fhirId(deviceId);
  return {
    resourceType: 'Device',
    id,
    apply: (current) =>
      merged(current, 'Device', id, {
        identifier: [{ system: systems.deviceId, value: deviceId }],
        status: event.eventType === 'device_connected' ? 'active' : 'inactive',
        deviceName: [{ name: deviceId, type: 'user-friendly-name' }],
        owner: { display: event.facilityId },
        note: [
          {
            time: str(data, 'connectedAt') ?? str(data, 'disconnectedAt'),
            text:
              event.eventType === 'device_connected'
                ? `connected over ${str(data, 'transport')}`
                : `disconnected (${str(data, 'reason')}) from ${str(data, 'transport')}`,
          },
        ],
      }),
  };
}

/** Appointment from appointment_scheduled. */
/** The length of a visit booked without one, in minutes: one outpatient slot. */
export const defaultSlotMinutes = 15;

export function appointmentChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const appointmentId = str(data, 'appointmentId');
  if (!appointmentId || !event.patientId) return undefined;
  const id = fhirId(appointmentId);
  const start = str(data, 'startsAt');
  const minutes = num(data, 'durationMinutes');
  // FHIR invariants app-2 and app-3: a booked appointment has both start and end. A
  // booking that gave no length takes one outpatient slot (docs/fhir.md, the mapping table).
  const end = start
    ? new Date(Date.parse(start) + (minutes ?? defaultSlotMinutes) * 60_000).toISOString()
    : undefined;
  return {
    resourceType: 'Appointment',
    id,
    patientId: event.patientId,
    apply: (current) =>
      merged(current, 'Appointment', id, {
        identifier: [{ system: 'urn:nilecare:sid:appointment-id', value: appointmentId }],
        status: 'booked',
        serviceType: [textConcept(str(data, 'serviceType') ?? 'visit')],
        reasonCode: str(data, 'reason') ? [textConcept(str(data, 'reason')!)] : undefined,
        start,
        end,
        minutesDuration: minutes,
        created: str(data, 'scheduledAt'),
        participant: [
          { actor: patientRef(event), status: 'accepted' },
          ...(str(data, 'location')
            ? [{ actor: { display: str(data, 'location') }, status: 'accepted' }]
            : []),
        ],
      }),
  };
}
