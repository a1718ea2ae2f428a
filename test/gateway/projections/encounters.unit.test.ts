import { describe, expect, it } from 'vitest';
import { encountersProjection } from '../../../gateway/projections/encounters.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-yousif';
const encounterId = 'enc-2025-0007';
const encounters = projectionSpec(encountersProjection);

/** encounter_created then patient_admitted, as the admissions endpoint records them. */
function admission() {
  const build = eventBuilder({ start: '2025-03-02T09:00:00.000Z', envelope: { patientId } });
  const startedAt = build.nextAt();
  const place = { ward: 'Ward B', bed: 'B-1' };
  const events = [
    build.encounterCreated({
      encounterId,
      encounterClass: 'inpatient',
      ...place,
      reason: 'Severe malaria',
      startedAt,
    }),
    build.patientAdmitted({ encounterId, ...place, admittedAt: startedAt }),
  ];
  return { build, events, startedAt };
}

describe('an admission', () => {
  it('opens an in-progress encounter with ward, bed and no transfers', () => {
    const { events, startedAt } = admission();
    encounters.given(events).thenDoc(encounterId, {
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
    const first = { encounterId, fromWard: 'Ward B', fromBed: 'B-1', toWard: 'ICU', toBed: 'ICU-2' };
    const toIcu = build.patientTransferred(first);
    const second = { encounterId, fromWard: 'ICU', fromBed: 'ICU-2', toWard: 'Ward C' };
    const toWardC = build.patientTransferred(second);
    const doc = encounters.given(events, toIcu, toWardC).doc(encounterId);
    expect(doc.transfers).toEqual([
      { ...first, transferredAt: toIcu.recordedAt },
      { ...second, transferredAt: toWardC.recordedAt },
    ]);
    expect(doc.ward).toBe('Ward C');
    expect(doc).not.toHaveProperty('bed');
    expect(doc.status).toBe('in-progress');
  });
});

describe('a discharge', () => {
  it('records when and where to, and the close finishes the encounter', () => {
    const { build, events } = admission();
    const dischargedAt = build.nextAt();
    encounters
      .given(
        events,
        build.patientDischarged({ encounterId, disposition: 'home', dischargedAt }),
        build.encounterClosed({ encounterId, reason: 'discharged', closedAt: dischargedAt }),
      )
      .thenDocMatches(encounterId, {
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
    encounters
      .given(events, build.encounterClosed({ encounterId, reason: 'admission_cancelled' }))
      .thenDocMatches(encounterId, { status: 'cancelled', closeReason: 'admission_cancelled' });
  });
});

describe('encounter_updated', () => {
  it('changes the listed details and not the time of the update itself', () => {
    const { build, events } = admission();
    const doc = encounters
      .given(events, build.encounterUpdated({ encounterId, reason: 'Severe malaria with anaemia' }))
      .doc(encounterId);
    expect(doc.reason).toBe('Severe malaria with anaemia');
    expect(doc).not.toHaveProperty('updatedAt');
    expect(doc.ward).toBe('Ward B');
  });
});

describe('events for an encounter never created', () => {
  it('leave no document behind', () => {
    const admitted = eventBuilder().patientAdmitted({ encounterId, ward: 'Ward B' }, { patientId });
    encounters.given(admitted).thenDoc(encounterId, undefined);
  });
});
