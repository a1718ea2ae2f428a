import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StaffOf, type StaffRole, signInStaff } from '../../harness/actorHeaders.ts';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// Corrections on the chart (encounter_updated, diagnosis_updated): real SQLite
// file, the gateway's HTTP app driven by inject(), the read models read back.

let gateway: InjectedGateway;
let staff: StaffOf;
let encounterId: string;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  staff = await signInStaff(gateway);
  await registerPatient(gateway, 'p-fatima');
  const admitted = await send('nurse', 'POST', '/api/v1/patients/p-fatima/admissions', {
    ward: 'Ward A',
    reason: 'Fever',
  });
  encounterId = admitted.json().encounterId;
});
afterEach(async () => {
  await gateway.close();
});

function send(role: StaffRole, method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) {
  return gateway.app.inject({ method, url, headers: staff[role].headers, payload });
}
const chart = async () =>
  (
    await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p-fatima',
      headers: staff.nurse.headers,
    })
  ).json() as { encounters: Record<string, unknown>[] };
const lastEvent = () => [...gateway.services.log.iterate()].at(-1)!;

describe("changing an open encounter's attending physician, class or reason", () => {
  const url = () => `/api/v1/patients/p-fatima/encounters/${encounterId}`;
  const attending = { practitionerId: 'u-hiba', display: 'Dr. Hiba Osman' };

  it('appends encounter_updated under the physician, and the chart shows the change', async () => {
    const response = await send('physician', 'PATCH', url(), {
      attendingPhysician: attending,
      encounterClass: 'emergency',
      reason: 'Severe malaria',
    });
    expect(response.statusCode).toBe(200);
    expect(lastEvent()).toMatchObject({
      eventType: 'encounter_updated',
      patientId: 'p-fatima',
      ...staff.physician.actor,
      data: {
        encounterId,
        attendingPhysician: attending,
        encounterClass: 'emergency',
        reason: 'Severe malaria',
      },
    });
    expect((await chart()).encounters).toEqual([
      expect.objectContaining({
        encounterId,
        attendingPhysician: attending,
        encounterClass: 'emergency',
        reason: 'Severe malaria',
      }),
    ]);
  });

  it('refuses a nurse with 403 and records nothing', async () => {
    const headSeq = gateway.services.log.head.seq;
    const response = await send('nurse', 'PATCH', url(), { attendingPhysician: attending });
    expect(response.statusCode).toBe(403);
    expect(gateway.services.log.head.seq).toBe(headSeq);
  });

  it('refuses a change that changes nothing with a 400', async () => {
    const response = await send('physician', 'PATCH', url(), { notes: 'Nothing else' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('GW_ERR_REQUEST_INVALID');
  });

  it("answers 404 for another patient's encounter and 409 for a closed one", async () => {
    await registerPatient(gateway, 'p-other');
    const other = await send('physician', 'PATCH', `/api/v1/patients/p-other/encounters/${encounterId}`, {
      reason: 'x',
    });
    expect(other.statusCode).toBe(404);
    expect(errorOf(other).code).toBe('GW_ERR_ENCOUNTER_UNKNOWN');
    await send('nurse', 'POST', '/api/v1/patients/p-fatima/discharge', { disposition: 'home' });
    const closed = await send('physician', 'PATCH', url(), { reason: 'Too late' });
    expect(closed.statusCode).toBe(409);
    expect(errorOf(closed).code).toBe('GW_ERR_ENCOUNTER_CLOSED');
  });
});

describe("correcting a diagnosis's verification status, severity, text or code, with the reason", () => {
  let diagnosisId: string;
  beforeEach(async () => {
    const added = await send('physician', 'POST', '/api/v1/patients/p-fatima/diagnoses', {
      icd10Code: 'B50.9',
      description: 'Plasmodium falciparum malaria, unspecified',
      verificationStatus: 'provisional',
    });
    diagnosisId = added.json().diagnosisId;
  });
  const url = () => `/api/v1/patients/p-fatima/diagnoses/${diagnosisId}`;
  const diagnoses = async () =>
    (
      await gateway.app.inject({
        method: 'GET',
        url: '/api/v1/patients/p-fatima/diagnoses',
        headers: staff.nurse.headers,
      })
    ).json().diagnoses as Record<string, unknown>[];

  it('appends diagnosis_updated with the reason, and the diagnosis list shows the change', async () => {
    const response = await send('physician', 'PATCH', url(), {
      verificationStatus: 'confirmed',
      severity: 'severe',
      note: 'Parasitaemia 4 %',
      reason: 'Blood film positive',
    });
    expect(response.statusCode).toBe(200);
    expect(lastEvent()).toMatchObject({
      eventType: 'diagnosis_updated',
      ...staff.physician.actor,
      data: {
        diagnosisId,
        encounterId,
        verificationStatus: 'confirmed',
        severity: 'severe',
        note: 'Parasitaemia 4 %',
        reason: 'Blood film positive',
      },
    });
    expect(await diagnoses()).toEqual([
      expect.objectContaining({ diagnosisId, verificationStatus: 'confirmed', severity: 'severe' }),
    ]);
  });

  it('corrects the code with its words together, and refuses one without the other', async () => {
    const alone = await send('physician', 'PATCH', url(), { icd10Code: 'B54', reason: 'Species not known' });
    expect(alone.statusCode).toBe(400);
    const both = await send('physician', 'PATCH', url(), {
      icd10Code: 'B54',
      description: 'Unspecified malaria',
      reason: 'Species not known',
    });
    expect(both.statusCode).toBe(200);
    expect(await diagnoses()).toEqual([
      expect.objectContaining({ code: 'B54', display: 'Unspecified malaria' }),
    ]);
  });

  it('needs a reason, and refuses a nurse', async () => {
    expect((await send('physician', 'PATCH', url(), { severity: 'mild' })).statusCode).toBe(400);
    const nurse = await send('nurse', 'PATCH', url(), { severity: 'mild', reason: 'Better' });
    expect(nurse.statusCode).toBe(403);
  });

  it('refuses to correct a diagnosis entered in error (409), and an unknown one (404)', async () => {
    const withdrawn = await send('physician', 'PATCH', url(), {
      verificationStatus: 'entered-in-error',
      reason: 'Wrong patient',
    });
    expect(withdrawn.statusCode).toBe(200);
    const again = await send('physician', 'PATCH', url(), { severity: 'mild', reason: 'x' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('GW_ERR_DIAGNOSIS_STATE');
    const unknown = await send('physician', 'PATCH', '/api/v1/patients/p-fatima/diagnoses/nope', {
      severity: 'mild',
      reason: 'x',
    });
    expect(unknown.statusCode).toBe(404);
  });
});
