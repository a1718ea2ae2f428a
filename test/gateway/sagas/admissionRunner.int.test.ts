import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// The runner over a real SQLite file, called directly so that two admissions
// start in the same tick: both pass the checks made before anything is
// recorded, and only the reservation, inside its transaction, can part them.

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  await registerPatient(gateway, 'p-1');
  await registerPatient(gateway, 'p-2');
});
afterEach(async () => {
  await gateway.close();
});

const request = (patientId: string, bed: string) => ({
  patientId,
  ward: 'Maternity',
  bed,
  encounterClass: 'inpatient',
});

describe('two admissions started at the same moment', () => {
  it('of one patient to two beds: one completes, the other fails at the reservation with nothing to undo', async () => {
    const { admissions, log } = gateway.services;
    const outcomes = await Promise.all([
      admissions.admit(request('p-1', 'M1')),
      admissions.admit(request('p-1', 'M2')),
    ]);
    expect(outcomes.map((saga) => saga.status).sort()).toEqual(['completed', 'failed']);
    const failed = outcomes.find((saga) => saga.status === 'failed')!;
    expect(failed.failure).toMatchObject({ step: 'reserve_bed' });
    expect(failed.failure?.reason).toMatch(/^GW_ERR_ENCOUNTER_STATE/);
    expect(failed.compensations).toEqual([]);
    expect([...log.iterate()].filter((event) => event.eventType === 'patient_admitted')).toHaveLength(1);
  });

  it('of two patients to one bed: one gets it, the other saga fails at the reservation', async () => {
    const outcomes = await Promise.all([
      gateway.services.admissions.admit(request('p-1', 'M3')),
      gateway.services.admissions.admit(request('p-2', 'M3')),
    ]);
    expect(outcomes.map((saga) => saga.status).sort()).toEqual(['completed', 'failed']);
    const failed = outcomes.find((saga) => saga.status === 'failed')!;
    expect(failed.failure?.reason).toMatch(/^GW_ERR_BED_UNAVAILABLE/);
    const occupied = outcomes.find((saga) => saga.status === 'completed')!;
    const board = (
      await gateway.app.inject({ method: 'GET', url: '/api/v1/beds', headers: gateway.nurseHeaders })
    ).json();
    expect(board.find((bed: { bed: string }) => bed.bed === 'M3')).toMatchObject({
      state: 'occupied',
      patientId: occupied.patientId,
    });
  });
});
