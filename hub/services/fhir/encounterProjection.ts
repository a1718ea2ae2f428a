import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import { clean, coding, type Data, merged, obj, patientRef, str, textConcept } from './projectionKit.ts';

const classCodes: Record<string, [string, string]> = {
  inpatient: ['IMP', 'inpatient encounter'],
  outpatient: ['AMB', 'ambulatory'],
  emergency: ['EMER', 'emergency'],
  maternity: ['IMP', 'inpatient encounter'],
};

/** Encounter statuses in the order a visit goes through them: a status never moves back. */
const statusRank: Record<string, number> = {
  planned: 0,
  arrived: 1,
  'in-progress': 2,
  finished: 3,
  cancelled: 3,
};

const dispositions: Record<string, [string, string]> = {
  home: ['home', 'Home'],
  referred: ['other-hcf', 'Other healthcare facility'],
  left_against_advice: ['aadvice', 'Left against advice'],
  deceased: ['exp', 'Expired'],
  other: ['oth', 'Other'],
};

/** The events whose `reason` is the reason for the visit or stay (Encounter.reasonCode). */
const reasonEvents = new Set(['encounter_created', 'patient_admitted', 'encounter_updated']);

type Location = {
  location: { display?: string };
  status?: string;
  period?: { start?: string; end?: string };
};

/**
 * Encounter from encounter_* and patient_admitted / transferred / discharged.
 * They travel on two topics, so they can arrive in any order: each event
 * lays its own fields over the resource and the status only moves forward.
 */
export function encounterChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const encounterId = str(data, 'encounterId');
  if (!encounterId) return undefined;
  return {
    resourceType: 'Encounter',
    id: fhirId(encounterId),
    ...(event.patientId ? { patientId: event.patientId } : {}),
    apply: (current) => encounterResource(current, event, encounterId, data),
  };
}

function encounterResource(
  current: FhirResource | undefined,
  event: EventDraft,
  encounterId: string,
  data: Data,
) {
  const previous = (current ?? {}) as {
    status?: string;
    class?: unknown;
    period?: { start?: string; end?: string };
    location?: Location[];
    reasonCode?: unknown[];
    participant?: unknown[];
    hospitalization?: Record<string, unknown>;
  };
  let status = previous.status ?? 'in-progress';
  let period = { ...(previous.period ?? {}) };
  let encounterClass = previous.class;
  let locations = [...(previous.location ?? [])];
  let hospitalization = previous.hospitalization;
  const moveTo = (next: string) => {
    if ((statusRank[next] ?? 0) >= (statusRank[status] ?? 0)) status = next;
  };
  const setClass = (name: string | undefined) => {
    const code = name ? classCodes[name] : undefined;
    if (code) encounterClass = coding(systems.v3ActCode, code[0], code[1]);
  };
  const arriveAt = (ward: string | undefined, bed: string | undefined, at: string | undefined) => {
    if (!ward) return;
    const display = bed ? `${ward}, bed ${bed}` : ward;
    locations = locations.map((location) =>
      location.status === 'active'
        ? { ...location, status: 'completed', period: clean({ ...location.period, end: at }) }
        : location,
    );
    locations.push({ location: { display }, status: 'active', ...(at ? { period: { start: at } } : {}) });
  };
  const start = (at: string | undefined) => {
    if (at && (!period.start || at < period.start)) period = { ...period, start: at };
  };
  const end = (at: string | undefined) => {
    if (at) period = { ...period, end: at };
    locations = locations.map((location) =>
      location.status === 'active' ? { ...location, status: 'completed' } : location,
    );
  };

  switch (event.eventType) {
    case 'encounter_created':
      moveTo('in-progress');
      setClass(str(data, 'encounterClass'));
      start(str(data, 'startedAt'));
      arriveAt(str(data, 'ward'), str(data, 'bed'), str(data, 'startedAt'));
      break;
    case 'encounter_updated':
      setClass(str(data, 'encounterClass'));
      arriveAt(str(data, 'ward'), str(data, 'bed'), str(data, 'updatedAt'));
      break;
    case 'patient_admitted':
      moveTo('in-progress');
      setClass('inpatient');
      start(str(data, 'admittedAt'));
      arriveAt(str(data, 'ward'), str(data, 'bed'), str(data, 'admittedAt'));
      break;
    case 'patient_transferred':
      arriveAt(str(data, 'toWard'), str(data, 'toBed'), str(data, 'transferredAt'));
      break;
    case 'patient_discharged': {
      moveTo('finished');
      end(str(data, 'dischargedAt'));
      const disposition = dispositions[str(data, 'disposition') ?? 'other'];
      if (disposition)
        hospitalization = {
          ...hospitalization,
          dischargeDisposition: { coding: [coding(systems.dischargeDisposition, ...disposition)] },
        };
      break;
    }
    case 'encounter_closed':
      moveTo(str(data, 'reason') === 'admission_cancelled' ? 'cancelled' : 'finished');
      end(str(data, 'closedAt'));
      break;
  }
  // A transfer's reason is why the patient moved and a closing's how the encounter ended: not why they came.
  const reason = reasonEvents.has(event.eventType) ? str(data, 'reason') : undefined;
  const reasonCode = reason ? [textConcept(reason)] : previous.reasonCode;
  const attending = attendingParticipant(data);
  return merged(current, 'Encounter', fhirId(encounterId), {
    identifier: [{ system: 'urn:nilecare:sid:encounter-id', value: encounterId }],
    status,
    class: encounterClass ?? coding(systems.v3ActCode, 'AMB', 'ambulatory'),
    subject: patientRef(event),
    period: Object.keys(period).length > 0 ? period : undefined,
    location: locations,
    participant: attending ? [attending] : previous.participant,
    reasonCode,
    hospitalization,
    serviceProvider: { display: event.facilityId },
  });
}

/**
 * The attending physician as Encounter.participant (type ATND, v3
 * ParticipationType): patient_admitted names one in words, encounter_updated
 * 1.1 with the gateway user's id when there is one. Staff are not resources
 * here, so the individual is a reference by identifier, as actorRef's.
 */
function attendingParticipant(data: Data) {
  const named = obj(data, 'attendingPhysician');
  const display = named ? str(named, 'display') : str(data, 'attendingPhysician');
  if (!display) return undefined;
  const practitionerId = named ? str(named, 'practitionerId') : undefined;
  return {
    type: [{ coding: [coding(systems.v3ParticipationType, 'ATND', 'attender')] }],
    individual: clean({
      identifier: practitionerId ? { system: systems.userId, value: practitionerId } : undefined,
      display,
    }),
  };
}
