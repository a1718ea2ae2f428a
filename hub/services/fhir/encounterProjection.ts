import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import { clean, coding, type Data, merged, patientRef, str, textConcept } from './projectionKit.ts';

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
  const reason = str(data, 'reason');
  const reasonCode =
    reason && (event.eventType === 'encounter_created' || event.eventType === 'patient_admitted')
      ? [textConcept(reason)]
      : previous.reasonCode;
  return merged(current, 'Encounter', fhirId(encounterId), {
    identifier: [{ system: 'urn:nilecare:sid:encounter-id', value: encounterId }],
    status,
    class: encounterClass ?? coding(systems.v3ActCode, 'AMB', 'ambulatory'),
    subject: patientRef(event),
    period: Object.keys(period).length > 0 ? period : undefined,
    location: locations,
    reasonCode,
    hospitalization,
    serviceProvider: { display: event.facilityId },
  });
}
