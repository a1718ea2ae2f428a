import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../kernel/events/envelope.ts';
import type { FhirResource } from '../../../../hub/services/fhir/fhirTypes.ts';
import { projectEvent } from '../../../../hub/services/fhir/projectEvent.ts';
import { exampleData, exampleDraft } from '../../../harness/exampleDrafts.ts';
import { fhirSchemaErrors } from '../../../harness/fhirSchema.ts';

// biome-ignore lint/suspicious/noExplicitAny: resources are walked freely in assertions
type Json = any;

/** The resources a sequence of events leaves, one per type and id, as the FHIR store keeps them. */
function resourcesAfter(events: EventDraft[]): Map<string, Json> {
  const store = new Map<string, FhirResource>();
  for (const event of events)
    for (const change of projectEvent(event)) {
      const key = `${change.resourceType}/${change.id}`;
      store.set(key, change.apply(store.get(key)));
    }
  return store;
}
const event = (eventType: string, data: Record<string, unknown> = {}) =>
  exampleDraft(eventType, { ...(exampleData as Json)[eventType], ...data });

describe('an encounter changed on the chart, at the hub', () => {
  it('names the attending physician as the ATND participant, by gateway user id, and the new reason', () => {
    const [encounter] = [
      ...resourcesAfter([
        event('encounter_created', { reason: 'Fever for three days' }),
        event('encounter_updated', {
          encounterClass: 'emergency',
          reason: 'Severe malaria',
          attendingPhysician: { practitionerId: 'u-7', display: 'Dr. Hiba Osman' },
        }),
      ]).values(),
    ];
    expect(encounter.class.code).toBe('EMER');
    expect(encounter.reasonCode).toEqual([{ text: 'Severe malaria' }]);
    expect(encounter.participant).toEqual([
      {
        type: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'ATND',
                display: 'attender',
              },
            ],
          },
        ],
        individual: {
          identifier: { system: 'urn:nilecare:sid:user-id', value: 'u-7' },
          display: 'Dr. Hiba Osman',
        },
      },
    ]);
    expect(fhirSchemaErrors(encounter)).toEqual([]);
  });

  it('keeps the attending physician named at admission until one is changed, and a closing reason out of reasonCode', () => {
    const [encounter] = [
      ...resourcesAfter([
        event('patient_admitted', { reason: 'Pneumonia', attendingPhysician: 'Dr. Omer Ali' }),
        event('encounter_updated', { attendingPhysician: undefined, notes: 'Moved near the window' }),
        event('encounter_closed', { reason: 'discharged' }),
      ]).values(),
    ];
    expect(encounter.participant[0].individual).toEqual({ display: 'Dr. Omer Ali' });
    expect(encounter.reasonCode).toEqual([{ text: 'Pneumonia' }]);
  });
});

describe('a lab order and its results, at the hub', () => {
  it('points the Observation and the DiagnosticReport of a result at the ServiceRequest of its order', () => {
    const store = resourcesAfter([
      event('lab_order_created'),
      event('lab_result_available', { orderId: 'lab-1' }),
    ]);
    const request = store.get('ServiceRequest/lab-1');
    expect(request.status).toBe('active');
    const observations = [...store.values()].filter((resource) => resource.resourceType === 'Observation');
    const reports = [...store.values()].filter((resource) => resource.resourceType === 'DiagnosticReport');
    expect(observations.length).toBe(1);
    for (const resource of [...observations, ...reports])
      expect(resource.basedOn).toEqual([{ reference: 'ServiceRequest/lab-1' }]);
  });

  it('revokes the ServiceRequest of a cancelled order, with the reason as a note, the tests as ordered', () => {
    const created = event('lab_order_created', { clinicalNotes: 'Query sepsis' });
    // lab_order_cancelled as its catalogue entry defines it: orderId, reason, cancelledAt.
    const cancelled: EventDraft = {
      ...created,
      eventId: '0193a6f0-0000-7000-8000-00000000c4c1',
      eventType: 'lab_order_cancelled',
      data: { orderId: 'lab-1', reason: 'Ordered on the wrong patient', cancelledAt: created.timestamp },
    };
    const request = resourcesAfter([created, cancelled]).get('ServiceRequest/lab-1');
    expect(request.status).toBe('revoked');
    expect(request.code.coding[0].code).toBe('718-7');
    expect(request.note).toEqual([
      { text: 'Query sepsis' },
      { text: 'Cancelled: Ordered on the wrong patient' },
    ]);
    expect(fhirSchemaErrors(request)).toEqual([]);
  });
});

describe('an appointment booked without a length, at the hub', () => {
  it('has an end one outpatient slot after its start (FHIR app-2, app-3)', () => {
    const [appointment] = [...resourcesAfter([event('appointment_scheduled')]).values()];
    expect(appointment.start).toBe('2024-10-15T09:00:00Z');
    expect(appointment.end).toBe('2024-10-15T09:15:00.000Z');
  });
});
