import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type EncounterDoc, encountersProjection } from '../../../gateway/projections/encounters.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-yousif';
const encounterId = 'enc-2025-0007';

function encounterAfter(events: ClinicalEvent[]): EncounterDoc | undefined {
  return projectInMemory([encountersProjection], events).get('encounters')!.get(encounterId) as
    | EncounterDoc
    | undefined;
}

/** encounter_created then patient_admitted, as the admissions endpoint records them. */
function admission() {
  const build = eventBuilder({ start: '2025-03-02T09:00:00.000Z' });
  const startedAt = build.nextAt();
  const events = [
    build.event(
      'encounter_created',
      {
        encounterId,
        encounterClass: 'inpatient',
        ward: 'Ward B',
        bed: 'B-1',
        reason: 'Severe malaria',
        startedAt,
      },
      { patientId },
    ),
    build.event(
      'patient_admitted',
      { encounterId, ward: 'Ward B', bed: 'B-1', admittedAt: startedAt },
      { patientId },
    ),
  ];
  return { build, events, startedAt };
}

describe('an admission', () => {
  it('opens an in-progress encounter with ward, bed and no transfers', () => {
    const { events, startedAt } = admission();
    expect(encounterAfter(events)).toEqual({
      encounterId,
      patientId,
      encounterClass: 'inpatient',
      status: 'in-progress',
      ward: 'Ward B',
      bed: 'B-1',
      reason: 'Severe malaria',
      startedAt,
      admittedAt: startedAt,
      transfers: [],
    });
  });
});

describe('transfers', () => {
  it('are kept in order and move the encounter to the last ward and bed', () => {
    const { build, events } = admission();
    const first = {
      encounterId,
      fromWard: 'Ward B',
      fromBed: 'B-1',
      toWard: 'ICU',
      toBed: 'ICU-2',
      transferredAt: build.nextAt(),
    };
    events.push(build.event('patient_transferred', first, { patientId }));
    const second = {
      encounterId,
      fromWard: 'ICU',
      fromBed: 'ICU-2',
      toWard: 'Ward C',
      transferredAt: build.nextAt(),
    };
    events.push(build.event('patient_transferred', second, { patientId }));
    const doc = encounterAfter(events)!;
    expect(doc.transfers).toEqual([first, second]);
    expect(doc.ward).toBe('Ward C');
    expect(doc).not.toHaveProperty('bed');
    expect(doc.status).toBe('in-progress');
  });
});

describe('a discharge', () => {
  it('records when and where to, and the close finishes the encounter', () => {
    const { build, events } = admission();
    const dischargedAt = build.nextAt();
    events.push(
      build.event('patient_discharged', { encounterId, disposition: 'home', dischargedAt }, { patientId }),
    );
    events.push(
      build.event(
        'encounter_closed',
        { encounterId, reason: 'discharged', closedAt: dischargedAt },
        { patientId },
      ),
    );
    expect(encounterAfter(events)).toMatchObject({
      status: 'finished',
      dischargedAt,
      disposition: 'home',
      closedAt: dischargedAt,
      closeReason: 'discharged',
    });
  });
});

describe('an admission undone (admission_cancelled)', () => {
  it('marks the encounter cancelled, not finished', () => {
    const { build, events } = admission();
    events.push(
      build.event(
        'encounter_closed',
        { encounterId, reason: 'admission_cancelled', closedAt: build.nextAt() },
        { patientId },
      ),
    );
    expect(encounterAfter(events)).toMatchObject({ status: 'cancelled', closeReason: 'admission_cancelled' });
  });
});

describe('encounter_updated', () => {
  it('changes the listed details and not the time of the update itself', () => {
    const { build, events } = admission();
    events.push(
      build.event(
        'encounter_updated',
        { encounterId, reason: 'Severe malaria with anaemia', updatedAt: build.nextAt() },
        { patientId },
      ),
    );
    const doc = encounterAfter(events)!;
    expect(doc.reason).toBe('Severe malaria with anaemia');
    expect(doc).not.toHaveProperty('updatedAt');
    expect(doc.ward).toBe('Ward B');
  });
});

describe('events for an encounter never created', () => {
  it('leave no document behind', () => {
    const build = eventBuilder();
    const admitted = build.event(
      'patient_admitted',
      { encounterId, ward: 'Ward B', admittedAt: build.nextAt() },
      { patientId },
    );
    expect(encounterAfter([admitted])).toBeUndefined();
  });
});
