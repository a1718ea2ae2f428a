import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, ref, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import {
  actorRef,
  clean,
  coding,
  type Data,
  merged,
  obj,
  patientRef,
  quantity,
  str,
  textConcept,
} from './projectionKit.ts';

function medication(data: Data) {
  const drugName = str(data, 'drugName');
  const atc = str(data, 'atcCode');
  return clean({ coding: atc ? [coding(systems.atc, atc)] : undefined, text: drugName ?? 'as prescribed' });
}

function dose(data: Data, field: string) {
  const value = obj(data, field);
  return value && typeof value.value === 'number' ? quantity(value.value, str(value, 'unit')) : undefined;
}

/** MedicationRequest from medication_prescribed (active) and medication_discontinued (stopped). */
export function medicationRequestChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const requestId = str(data, 'medicationRequestId');
  if (!requestId || !event.patientId) return undefined;
  return {
    resourceType: 'MedicationRequest',
    id: fhirId(requestId),
    patientId: event.patientId,
    apply: (current) => {
      if (event.eventType === 'medication_discontinued') {
        const base = current ?? {
          resourceType: 'MedicationRequest',
          id: fhirId(requestId),
          intent: 'order',
          medicationCodeableConcept: { text: 'as prescribed' },
          subject: patientRef(event),
        };
        return merged(base as FhirResource, 'MedicationRequest', fhirId(requestId), {
          status: str(data, 'reason') === 'entered_in_error' ? 'entered-in-error' : 'stopped',
          statusReason: textConcept(str(data, 'reason') ?? 'other'),
          note: str(data, 'note') ? [{ text: str(data, 'note') }] : current?.note,
        });
      }
      // A stop that arrived first (another partition) stays a stop.
      const status = current?.status && current.status !== 'active' ? current.status : 'active';
      const duration = obj(data, 'duration');
      const diagnosisId = str(data, 'diagnosisId');
      const encounterId = str(data, 'encounterId');
      return merged(current, 'MedicationRequest', fhirId(requestId), {
        identifier: [{ system: 'urn:nilecare:sid:medication-request-id', value: requestId }],
        status,
        intent: 'order',
        medicationCodeableConcept: medication(data),
        subject: patientRef(event),
        encounter: encounterId ? ref('Encounter', encounterId) : undefined,
        authoredOn: str(data, 'prescribedAt'),
        requester: actorRef(event),
        reasonReference: diagnosisId ? [ref('Condition', diagnosisId)] : undefined,
        reasonCode: str(data, 'indication') ? [textConcept(str(data, 'indication')!)] : undefined,
        dosageInstruction: [
          clean({
            text: str(data, 'instructions'),
            timing: clean({
              code: textConcept(str(data, 'frequency') ?? 'other'),
              repeat:
                duration && typeof duration.value === 'number'
                  ? { boundsDuration: quantity(duration.value, str(duration, 'unit')) }
                  : undefined,
            }),
            route: str(data, 'route') ? textConcept(str(data, 'route')!) : undefined,
            doseAndRate: dose(data, 'dose') ? [{ doseQuantity: dose(data, 'dose') }] : undefined,
          }),
        ],
        dispenseRequest: str(data, 'startsAt')
          ? { validityPeriod: { start: str(data, 'startsAt') } }
          : undefined,
      });
    },
  };
}

/** MedicationAdministration from medication_administered: given -> completed, held or refused -> not-done. */
export function medicationAdministrationChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const administrationId = str(data, 'administrationId');
  if (!administrationId || !event.patientId) return undefined;
  return {
    resourceType: 'MedicationAdministration',
    id: fhirId(administrationId),
    patientId: event.patientId,
    apply: (current) => {
      const given = str(data, 'status') === 'given';
      const route = str(data, 'route');
      const reason = str(data, 'reason');
      const doseGiven = dose(data, 'doseGiven');
      return merged(current, 'MedicationAdministration', fhirId(administrationId), {
        identifier: [{ system: 'urn:nilecare:sid:administration-id', value: administrationId }],
        status: given ? 'completed' : 'not-done',
        statusReason: !given && reason ? [textConcept(reason)] : undefined,
        medicationCodeableConcept: medication(data),
        subject: patientRef(event),
        effectiveDateTime: str(data, 'administeredAt'),
        performer: actorRef(event) ? [{ actor: actorRef(event) }] : undefined,
        request: ref('MedicationRequest', str(data, 'medicationRequestId') ?? administrationId),
        // FHIR R4 invariant mad-1: a dosage SHALL have a dose or a rate. A held or refused dose
        // has neither, so the route it would have taken goes to the note instead.
        dosage: doseGiven
          ? clean({
              site: str(data, 'site') ? textConcept(str(data, 'site')!) : undefined,
              route: route ? textConcept(route) : undefined,
              dose: doseGiven,
            })
          : undefined,
        note: !doseGiven && route ? [{ text: `route: ${route}` }] : undefined,
      });
    },
  };
}
