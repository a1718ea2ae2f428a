import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, ref, systems } from '../fhir/fhirIds.ts';
import type { ResourceChange } from '../fhir/fhirTypes.ts';

/**
 * FHIR AuditEvent for one reading of a national ID in clear
 * (sudan_national_id_accessed): who (user id and role), from where (IP
 * address), whose record, why, when. No PHI beyond the patient's reference.
 */
export function nationalIdAccessAuditEvent(event: EventDraft, gatewayId: string | undefined): ResourceChange {
  const data = event.data as { accessReason: string; accessedAt: string; ipAddress: string };
  const id = fhirId(event.eventId);
  return {
    resourceType: 'AuditEvent',
    id,
    ...(event.patientId ? { patientId: event.patientId } : {}),
    apply: () => ({
      resourceType: 'AuditEvent',
      id,
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
        code: 'rest',
        display: 'RESTful Operation',
      },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read', display: 'read' }],
      action: 'R',
      recorded: data.accessedAt,
      outcome: '0',
      purposeOfEvent: [{ text: data.accessReason }],
      agent: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'IRCP',
                display: 'information recipient',
              },
            ],
          },
          who: { identifier: { system: systems.userId, value: event.userId ?? 'unknown' } },
          ...(event.userRole ? { role: [{ text: event.userRole }] } : {}),
          requestor: true,
          network: { address: data.ipAddress, type: '2' },
        },
      ],
      source: {
        site: event.facilityId,
        observer: { display: gatewayId ? `gateway ${gatewayId}` : event.source },
        type: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
            code: '4',
            display: 'Application Server',
          },
        ],
      },
      entity: [
        {
          ...(event.patientId ? { what: ref('Patient', event.patientId) } : {}),
          type: {
            system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
            code: '1',
            display: 'Person',
          },
          role: {
            system: 'http://terminology.hl7.org/CodeSystem/object-role',
            code: '1',
            display: 'Patient',
          },
          description: 'national ID (sudanNationalId) read in clear',
        },
      ],
    }),
  };
}
