import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type PatientDoc, patientsProjection } from '../../../gateway/projections/patients.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-amna';

function patientAfter(events: ClinicalEvent[], id = patientId): PatientDoc | undefined {
  return projectInMemory([patientsProjection], events).get('patients')!.get(id) as PatientDoc | undefined;
}

function registered() {
  const build = eventBuilder({ start: '2025-03-01T08:00:00.000Z' });
  const events = [
    build.event(
      'patient_registered',
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
      { patientId, patientMRN: 'MRN-0042' },
    ),
  ];
  return { build, events };
}

describe('patient_registered', () => {
  it('creates the patient with demographics, MRN and status registered', () => {
    const { events } = registered();
    expect(patientAfter(events)).toEqual({
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
    events.push(
      build.event(
        'patient_updated',
        { changes: { lastName: 'Osman Ahmed', locality: 'Omdurman' }, updatedAt: build.nextAt() },
        { patientId },
      ),
    );
    const doc = patientAfter(events)!;
    expect(doc).toMatchObject({
      firstName: 'Amna',
      lastName: 'Osman Ahmed',
      locality: 'Omdurman',
      phone: '+249912345678',
    });
    expect(doc.updatedAt).toBe(events[1]!.timestamp);
    expect(doc.registeredAt).toBe('2025-03-01T07:59:00.000Z');
  });

  it('does not invent a patient that was never registered', () => {
    const build = eventBuilder();
    const update = build.event(
      'patient_updated',
      { changes: { firstName: 'Ghost' }, updatedAt: build.nextAt() },
      { patientId: 'nobody' },
    );
    expect(patientAfter([update], 'nobody')).toBeUndefined();
  });
});

describe('an admission, a transfer and a discharge', () => {
  function admitted() {
    const { build, events } = registered();
    events.push(
      build.event(
        'patient_admitted',
        { encounterId: 'enc-1', ward: 'Ward A', bed: 'A-3', admittedAt: build.nextAt() },
        { patientId },
      ),
    );
    return { build, events };
  }

  it('marks the patient admitted with encounter, ward and bed', () => {
    const { events } = admitted();
    expect(patientAfter(events)).toMatchObject({
      status: 'admitted',
      encounterId: 'enc-1',
      ward: 'Ward A',
      bed: 'A-3',
    });
  });

  it('moves the patient to the new ward and bed on transfer', () => {
    const { build, events } = admitted();
    events.push(
      build.event(
        'patient_transferred',
        {
          encounterId: 'enc-1',
          fromWard: 'Ward A',
          fromBed: 'A-3',
          toWard: 'ICU',
          toBed: 'ICU-1',
          transferredAt: build.nextAt(),
        },
        { patientId },
      ),
    );
    expect(patientAfter(events)).toMatchObject({
      status: 'admitted',
      encounterId: 'enc-1',
      ward: 'ICU',
      bed: 'ICU-1',
    });
  });

  it('drops the old bed when the transfer names only a ward', () => {
    const { build, events } = admitted();
    events.push(
      build.event(
        'patient_transferred',
        { encounterId: 'enc-1', toWard: 'Maternity', transferredAt: build.nextAt() },
        { patientId },
      ),
    );
    const doc = patientAfter(events)!;
    expect(doc.ward).toBe('Maternity');
    expect(doc).not.toHaveProperty('bed');
  });

  it('marks the patient discharged and clears encounter, ward and bed', () => {
    const { build, events } = admitted();
    events.push(
      build.event(
        'patient_discharged',
        { encounterId: 'enc-1', disposition: 'home', dischargedAt: build.nextAt() },
        { patientId },
      ),
    );
    const doc = patientAfter(events)!;
    expect(doc.status).toBe('discharged');
    expect(doc).not.toHaveProperty('encounterId');
    expect(doc).not.toHaveProperty('ward');
    expect(doc).not.toHaveProperty('bed');
    expect(doc.firstName).toBe('Amna');
  });
});

describe('events about other things', () => {
  it('touch no patient document', () => {
    const build = eventBuilder();
    const reading = build.event(
      'vital_signs_recorded',
      { method: 'manual', measuredAt: build.nextAt(), heartRate: { value: 80, unit: '/min' } },
      { patientId, userId: 'nurse-7', userName: 'Sr. Hawa Adam', userRole: 'nurse' },
    );
    expect(patientsProjection.docIdsOf(reading)).toEqual([]);
  });
});
