import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionCookieFor } from '../../harness/sessions.ts';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  await registerPatient(gateway, 'p-fatima');
});
afterEach(async () => {
  await gateway.close();
});

const post = (url: string, payload: Record<string, unknown>) =>
  gateway.app.inject({ method: 'POST', url, headers: gateway.nurseHeaders, payload });
const chart = async () =>
  (
    await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p-fatima',
      headers: gateway.nurseHeaders,
    })
  ).json();

describe('admitting a patient', () => {
  it('opens an encounter the chart shows in progress, with ward and bed', async () => {
    const response = await post('/api/v1/patients/p-fatima/admissions', {
      ward: 'Maternity',
      bed: 'M4',
      reason: 'labour',
    });
    expect(response.statusCode).toBe(201);
    const { encounterId, sagaId } = response.json();
    expect(response.json()).toEqual({ sagaId, encounterId, ward: 'Maternity', bed: 'M4' });

    const { patient, encounters } = await chart();
    expect(patient).toMatchObject({ status: 'admitted', encounterId, ward: 'Maternity', bed: 'M4' });
    expect(encounters).toEqual([
      expect.objectContaining({
        encounterId,
        status: 'in-progress',
        ward: 'Maternity',
        bed: 'M4',
        encounterClass: 'inpatient',
      }),
    ]);
  });

  it('refuses to admit an admitted patient again: 409 GW_ERR_ENCOUNTER_STATE, nothing appended', async () => {
    await post('/api/v1/patients/p-fatima/admissions', { ward: 'Maternity', bed: 'M4' });
    const headSeq = gateway.services.log.head.seq;
    const again = await post('/api/v1/patients/p-fatima/admissions', { ward: 'Surgical', bed: 'S1' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'GW_ERR_ENCOUNTER_STATE', statusCode: 409 });
    expect(errorOf(again).message).toContain('already admitted');
    expect(gateway.services.log.head.seq).toBe(headSeq);
  });

  it('refuses an admission without a ward, naming the field', async () => {
    const response = await post('/api/v1/patients/p-fatima/admissions', { bed: 'M4' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details?.issues).toEqual([
      expect.objectContaining({ field: 'body/ward', rule: 'required' }),
    ]);
  });

  it('refuses an unknown patient with 404 GW_ERR_PATIENT_UNKNOWN', async () => {
    const response = await post('/api/v1/patients/nobody/admissions', { ward: 'Maternity' });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});

describe('transferring a patient', () => {
  it('moves the patient and the encounter to the new ward and bed, keeping where they came from', async () => {
    const { encounterId } = (
      await post('/api/v1/patients/p-fatima/admissions', { ward: 'Maternity', bed: 'M4' })
    ).json();
    const response = await post('/api/v1/patients/p-fatima/transfers', {
      toWard: 'Ward A',
      toBed: 'A6',
      reason: 'caesarean section',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'patient_transferred',
    ]);

    const { patient, encounters } = await chart();
    expect(patient).toMatchObject({ status: 'admitted', encounterId, ward: 'Ward A', bed: 'A6' });
    expect(encounters[0]).toMatchObject({ status: 'in-progress', ward: 'Ward A', bed: 'A6' });
    expect(encounters[0].transfers).toEqual([
      expect.objectContaining({ fromWard: 'Maternity', fromBed: 'M4', toWard: 'Ward A', toBed: 'A6' }),
    ]);
  });

  it('refuses to transfer a patient who is not admitted: 409 GW_ERR_ENCOUNTER_STATE', async () => {
    const response = await post('/api/v1/patients/p-fatima/transfers', { toWard: 'Surgical' });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response).code).toBe('GW_ERR_ENCOUNTER_STATE');
  });
});

describe('discharging a patient', () => {
  it('closes the encounter (finished) with the disposition, and the patient is discharged', async () => {
    const { encounterId } = (
      await post('/api/v1/patients/p-fatima/admissions', { ward: 'Maternity', bed: 'M4' })
    ).json();
    gateway.clock.advanceSeconds(3 * 24 * 3600);
    // Three days on, the nurse's session has long ended: she signs in again.
    gateway.nurseHeaders = sessionCookieFor(gateway.services, gateway.nurse);
    const response = await post('/api/v1/patients/p-fatima/discharge', {
      disposition: 'home',
      summary: 'Normal delivery, mother and baby well',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'patient_discharged',
      'encounter_closed',
    ]);

    const { patient, encounters } = await chart();
    expect(patient.status).toBe('discharged');
    expect(patient).not.toHaveProperty('ward');
    expect(encounters).toEqual([
      expect.objectContaining({
        encounterId,
        status: 'finished',
        disposition: 'home',
        closeReason: 'discharged',
        closedAt: '2026-11-29T08:00:00.000Z',
      }),
    ]);
  });

  it('refuses to discharge a patient who is not admitted, and allows a new admission after discharge', async () => {
    expect((await post('/api/v1/patients/p-fatima/discharge', { disposition: 'home' })).statusCode).toBe(409);
    await post('/api/v1/patients/p-fatima/admissions', { ward: 'Maternity' });
    await post('/api/v1/patients/p-fatima/discharge', { disposition: 'home' });
    const readmitted = await post('/api/v1/patients/p-fatima/admissions', { ward: 'Ward A', bed: 'A1' });
    expect(readmitted.statusCode).toBe(201);
    const { encounters } = await chart();
    expect(encounters.map((encounter: { status: string }) => encounter.status).sort()).toEqual([
      'finished',
      'in-progress',
    ]);
  });
});
