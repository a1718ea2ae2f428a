import { describe, expect, it } from 'vitest';
import { patientsProjection } from '../../../gateway/projections/patients.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder, nurse, vitals } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-amna';
const patients = projectionSpec(patientsProjection);

function registered() {
  const build = eventBuilder({ start: '2025-03-01T08:00:00.000Z', envelope: { patientId } });
  const events = [
    build.patientRegistered(
      {
        firstName: 'Amna',
        lastName: 'Osman',
        fatherName: 'Ali',
        sex: 'female',
        birthDate: '1987-05-02',
        phone: '+249912345678',
        sudanState: 'Khartoum',
        registeredAt: '2025-03-01T07:59:00.000Z',
      },
      { patientMRN: 'MRN-0042' },
    ),
  ];
  return { build, events };
}

/** Registered, then admitted to Ward A, bed A-3, under encounter enc-1. */
function admitted() {
  const { build, events } = registered();
  events.push(build.patientAdmitted({ encounterId: 'enc-1', ward: 'Ward A', bed: 'A-3' }));
  return { build, events };
}

describe('patient_registered', () => {
  it('creates the patient with demographics, MRN and status registered', () => {
    const { events } = registered();
    patients.given(events).thenDoc(patientId, {
      patientId,
      patientMRN: 'MRN-0042',
      firstName: 'Amna',
      lastName: 'Osman',
      fatherName: 'Ali',
      sex: 'female',
      birthDate: '1987-05-02',
      phone: '+249912345678',
      sudanState: 'Khartoum',
      registeredAt: '2025-03-01T07:59:00.000Z',
      updatedAt: events[0]!.timestamp,
      status: 'registered',
    });
  });
});

describe('patient_updated', () => {
  it('changes only the fields listed in changes and keeps the rest', () => {
    const { build, events } = registered();
    const update = build.patientUpdated({ changes: { lastName: 'Osman Ahmed', locality: 'Omdurman' } });
    patients.given(events, update).thenDocMatches(patientId, {
      firstName: 'Amna',
      lastName: 'Osman Ahmed',
      locality: 'Omdurman',
      phone: '+249912345678',
      updatedAt: update.timestamp,
      registeredAt: '2025-03-01T07:59:00.000Z',
    });
  });

  it('does not invent a patient that was never registered', () => {
    const update = eventBuilder().patientUpdated(
      { changes: { firstName: 'Ghost' } },
      { patientId: 'nobody' },
    );
    patients.given(update).thenDoc('nobody', undefined);
  });
});

describe('an admission, a transfer and a discharge', () => {
  it('marks the patient admitted with encounter, ward and bed', () => {
    patients.given(admitted().events).thenDocMatches(patientId, {
      status: 'admitted',
      encounterId: 'enc-1',
      ward: 'Ward A',
      bed: 'A-3',
    });
  });

  it('moves the patient to the new ward and bed on transfer', () => {
    const { build, events } = admitted();
    const transfer = build.patientTransferred({
      encounterId: 'enc-1',
      fromWard: 'Ward A',
      fromBed: 'A-3',
      toWard: 'ICU',
      toBed: 'ICU-1',
    });
    patients.given(events, transfer).thenDocMatches(patientId, {
      status: 'admitted',
      encounterId: 'enc-1',
      ward: 'ICU',
      bed: 'ICU-1',
    });
  });

  it('drops the old bed when the transfer names only a ward', () => {
    const { build, events } = admitted();
    const transfer = build.patientTransferred({ encounterId: 'enc-1', toWard: 'Maternity' });
    const doc = patients.given(events, transfer).doc(patientId);
    expect(doc.ward).toBe('Maternity');
    expect(doc).not.toHaveProperty('bed');
  });

  it('marks the patient discharged and clears encounter, ward and bed', () => {
    const { build, events } = admitted();
    const discharge = build.patientDischarged({ encounterId: 'enc-1', disposition: 'home' });
    const doc = patients.given(events, discharge).doc(patientId);
    expect(doc.status).toBe('discharged');
    expect(doc).not.toHaveProperty('encounterId');
    expect(doc).not.toHaveProperty('ward');
    expect(doc).not.toHaveProperty('bed');
    expect(doc.firstName).toBe('Amna');
  });
});

describe('events about other things', () => {
  it('touch no patient document', () => {
    const reading = eventBuilder().vitalSignsRecorded(
      { method: 'manual', ...vitals({ heartRate: 80 }) },
      { patientId, ...nurse },
    );
    patients.given(reading).thenTouches([]);
  });
});
