import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { type StaffOf, type StaffRole, signInStaff } from '../../harness/actorHeaders.ts';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// Diagnoses, medications and lab results on the chart: real SQLite file, the
// gateway's HTTP app driven by inject().

let gateway: InjectedGateway;
let staff: StaffOf;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  staff = await signInStaff(gateway);
  await registerPatient(gateway, 'p-fatima');
});
afterEach(async () => {
  await gateway.close();
});

const post = (role: StaffRole | undefined, url: string, payload: Record<string, unknown> = {}) =>
  gateway.app.inject({ method: 'POST', url, headers: role ? staff[role].headers : {}, payload });
const get = (url: string) => gateway.app.inject({ method: 'GET', url, headers: staff.nurse.headers });
const lastEvent = () => [...gateway.services.log.iterate()].at(-1)!;

describe('diagnoses', () => {
  const malaria = { icd10Code: 'B50.9', description: 'Plasmodium falciparum malaria, unspecified' };

  it("records an ICD-10 diagnosis under the physician's name and the current encounter, and lists it", async () => {
    const admitted = await post('nurse', '/api/v1/patients/p-fatima/admissions', { ward: 'Ward A' });
    expect(admitted.statusCode).toBe(201);
    const { encounterId } = admitted.json();
    expect(
      [...gateway.services.log.iterate()].find((event) => event.eventType === 'encounter_created'),
    ).toMatchObject({ ...staff.nurse.actor, data: { encounterId } });
    const response = await post('physician', '/api/v1/patients/p-fatima/diagnoses', {
      ...malaria,
      severity: 'severe',
    });
    expect(response.statusCode).toBe(201);
    const { diagnosisId, events } = response.json();
    expect(events.map((event: { eventType: string }) => event.eventType)).toEqual(['diagnosis_added']);
    expect(lastEvent()).toMatchObject({
      eventType: 'diagnosis_added',
      patientId: 'p-fatima',
      ...staff.physician.actor,
      data: {
        diagnosisId,
        encounterId,
        code: 'B50.9',
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
      },
    });

    const list = await get('/api/v1/patients/p-fatima/diagnoses');
    expect(list.json()).toEqual({
      patientId: 'p-fatima',
      diagnoses: [
        expect.objectContaining({
          diagnosisId,
          code: 'B50.9',
          display: malaria.description,
          severity: 'severe',
          recordedBy: expect.objectContaining({ userId: staff.physician.actor.userId }),
        }),
      ],
    });
  });

  it.each(['b50.9', 'B5', '50.9', 'B50.12345', 'B50-9'])(
    'refuses the ICD-10 code %j with a 400 naming icd10Code, and records nothing',
    async (icd10Code) => {
      const headSeq = gateway.services.log.head.seq;
      const response = await post('physician', '/api/v1/patients/p-fatima/diagnoses', {
        ...malaria,
        icd10Code,
      });
      expect(response.statusCode).toBe(400);
      const fields = errorOf(response).details?.issues?.map((issue) => issue.field);
      expect(new Set(fields)).toEqual(new Set(['body/icd10Code']));
      expect(gateway.services.log.head.seq).toBe(headSeq);
    },
  );

  it("an admin may diagnose too: the event carries the admin's id, name and role", async () => {
    const response = await post('admin', '/api/v1/patients/p-fatima/diagnoses', malaria);
    expect(response.statusCode).toBe(201);
    expect(lastEvent()).toMatchObject({ eventType: 'diagnosis_added', ...staff.admin.actor });
    expect(staff.admin.actor).toMatchObject({ userName: 'عمر حسن', userRole: 'admin' });
  });

  it('accepts WHO and ICD-10-CM forms: O80, U07.1, M1A.0', async () => {
    for (const icd10Code of ['O80', 'U07.1', 'M1A.0'])
      expect(
        (await post('physician', '/api/v1/patients/p-fatima/diagnoses', { ...malaria, icd10Code }))
          .statusCode,
      ).toBe(201);
  });

  it('resolves a diagnosis once; again is 409, an unknown one 404', async () => {
    const { diagnosisId } = (await post('physician', '/api/v1/patients/p-fatima/diagnoses', malaria)).json();
    const url = `/api/v1/patients/p-fatima/diagnoses/${diagnosisId}/resolution`;
    const resolved = await post('physician', url, { note: 'RDT negative after treatment' });
    expect(resolved.statusCode).toBe(200);
    expect(lastEvent()).toMatchObject({
      eventType: 'diagnosis_resolved',
      data: { diagnosisId, clinicalStatus: 'resolved' },
    });
    const [entry] = (await get('/api/v1/patients/p-fatima/diagnoses')).json().diagnoses;
    expect(entry).toMatchObject({ clinicalStatus: 'resolved', resolvedAt: expect.any(String) });

    expect(errorOf(await post('physician', url))).toMatchObject({
      code: 'GW_ERR_DIAGNOSIS_STATE',
      statusCode: 409,
    });
    const unknown = await post('physician', '/api/v1/patients/p-fatima/diagnoses/nope/resolution');
    expect(errorOf(unknown)).toMatchObject({ code: 'GW_ERR_DIAGNOSIS_UNKNOWN', statusCode: 404 });
  });

  it('needs a session of a role that may diagnose, and a registered patient', async () => {
    const headSeq = gateway.services.log.head.seq;
    const anonymous = await post(undefined, '/api/v1/patients/p-fatima/diagnoses', malaria);
    expect(errorOf(anonymous)).toMatchObject({ code: 'GW_ERR_AUTH_REQUIRED', statusCode: 401 });
    const byNurse = await post('nurse', '/api/v1/patients/p-fatima/diagnoses', malaria);
    expect(errorOf(byNurse)).toMatchObject({ code: 'GW_ERR_ROLE_FORBIDDEN', statusCode: 403 });
    expect(gateway.services.log.head.seq).toBe(headSeq);
    const nobody = await post('physician', '/api/v1/patients/nobody/diagnoses', malaria);
    expect(errorOf(nobody).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});

describe('medications', () => {
  const artesunate = {
    drugName: 'Artesunate',
    atcCode: 'P01BE03',
    dose: { value: 120, unit: 'mg' },
    route: 'intravenous',
    frequency: 'q12h',
    indication: 'severe malaria',
  };
  const prescribe = async () => {
    const response = await post('physician', '/api/v1/patients/p-fatima/medications', artesunate);
    expect(response.statusCode).toBe(201);
    return response.json().prescriptionId as string;
  };

  it('prescribes, records a dose given (the prescribed dose by default) and one held with its reason', async () => {
    const prescriptionId = await prescribe();
    expect(lastEvent()).toMatchObject({
      eventType: 'medication_prescribed',
      ...staff.physician.actor,
      data: { medicationRequestId: prescriptionId, drugName: 'Artesunate' },
    });
    const url = `/api/v1/patients/p-fatima/medications/${prescriptionId}/administrations`;
    expect((await post('nurse', url)).statusCode).toBe(201);
    expect((await post('nurse', url, { status: 'held', reason: 'patient vomiting' })).statusCode).toBe(201);

    const chart = (await get('/api/v1/patients/p-fatima/medications')).json();
    expect(chart.prescriptions).toEqual([
      expect.objectContaining({
        medicationRequestId: prescriptionId,
        status: 'active',
        prescribedBy: staff.physician.actor.userId,
        administrations: [
          expect.objectContaining({
            status: 'given',
            doseGiven: { value: 120, unit: 'mg' },
            by: staff.nurse.actor.userId,
          }),
          expect.objectContaining({
            status: 'held',
            reason: 'patient vomiting',
            by: staff.nurse.actor.userId,
          }),
        ],
      }),
    ]);
  });

  it('refuses a dose held without a reason, and frequency "other" without instructions, naming the field', async () => {
    const prescriptionId = await prescribe();
    const held = await post(
      'nurse',
      `/api/v1/patients/p-fatima/medications/${prescriptionId}/administrations`,
      {
        status: 'held',
      },
    );
    expect(held.statusCode).toBe(400);
    expect(JSON.stringify(errorOf(held).details?.issues)).toContain('reason');
    const other = await post('physician', '/api/v1/patients/p-fatima/medications', {
      ...artesunate,
      frequency: 'other',
    });
    expect(other.statusCode).toBe(400);
    expect(JSON.stringify(errorOf(other).details?.issues)).toContain('instructions');
  });

  it('discontinues a prescription; after that no dose is recorded against it (409), an unknown one is 404', async () => {
    const prescriptionId = await prescribe();
    const stop = await post(
      'physician',
      `/api/v1/patients/p-fatima/medications/${prescriptionId}/discontinuation`,
      {
        reason: 'course_completed',
      },
    );
    expect(stop.statusCode).toBe(200);
    const [entry] = (await get('/api/v1/patients/p-fatima/medications')).json().prescriptions;
    expect(entry).toMatchObject({ status: 'discontinued', discontinuedReason: 'course_completed' });

    const late = await post(
      'nurse',
      `/api/v1/patients/p-fatima/medications/${prescriptionId}/administrations`,
    );
    expect(errorOf(late)).toMatchObject({ code: 'GW_ERR_PRESCRIPTION_STATE', statusCode: 409 });
    const unknown = await post('nurse', '/api/v1/patients/p-fatima/medications/nope/administrations');
    expect(errorOf(unknown)).toMatchObject({ code: 'GW_ERR_PRESCRIPTION_UNKNOWN', statusCode: 404 });
  });
});

describe('lab results', () => {
  /** A result as an analyzer driver records it (source lab-service, the same event type). */
  const result = (patientId: string | undefined, resultStatus: string, value: number, note?: string) => {
    const draft = draftFor(
      gateway.services,
      'lab_result_available',
      {
        resultId: 'res-hgb-1',
        specimen: { specimenId: 'TUBE-0042', type: 'whole_blood' },
        testCode: 'HGB',
        testName: 'Haemoglobin',
        value,
        unit: 'g/dL',
        referenceRange: { low: 12, high: 16 },
        flags: ['L'],
        resultStatus,
        ...(note ? { note } : {}),
        observedAt: '2026-11-26T07:30:00.000Z',
        reportedAt: gateway.clock().toISOString(),
      },
      patientId ? { patientId } : {},
    );
    return gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test analyzer',
      draft: { ...draft, source: 'lab-service' },
    });
  };

  it("shows the patient's results, a corrected one replacing the earlier, with the statuses it went through", async () => {
    await registerPatient(gateway, 'p-other');
    expect((await result('p-fatima', 'preliminary', 9.4)).status).toBe('appended');
    gateway.clock.advanceSeconds(600);
    expect((await result('p-fatima', 'corrected', 9.1, 'recalibrated analyzer')).status).toBe('appended');
    expect((await result(undefined, 'final', 13)).status).toBe('appended');

    const response = await get('/api/v1/patients/p-fatima/lab-results');
    expect(response.statusCode).toBe(200);
    const { results } = response.json();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      resultId: 'res-hgb-1',
      testName: 'Haemoglobin',
      value: 9.1,
      resultStatus: 'corrected',
      flags: ['L'],
      statusHistory: [
        expect.objectContaining({ resultStatus: 'preliminary', value: 9.4 }),
        expect.objectContaining({ resultStatus: 'corrected', value: 9.1 }),
      ],
    });
    expect((await get('/api/v1/patients/p-other/lab-results')).json().results).toEqual([]);
    expect(errorOf(await get('/api/v1/patients/nobody/lab-results')).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});
