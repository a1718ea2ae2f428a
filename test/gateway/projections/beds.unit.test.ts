import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { BED_BOARD_DOC_ID, type BedBoardDoc, bedsProjection } from '../../../gateway/projections/beds.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';

let seq = 0;
const event = (
  eventType: string,
  patientId: string,
  data: Record<string, unknown>,
  timestamp = '2026-11-26T08:00:00.000Z',
): ClinicalEvent =>
  ({
    eventId: `e-${++seq}`,
    eventType,
    timestamp,
    version: '1.0',
    patientId,
    facilityId: 'f',
    tenantId: 't',
    source: 'gateway-service',
    data,
    gatewayId: 'g',
    seq,
    recordedAt: timestamp,
    hash: 'h',
  }) as unknown as ClinicalEvent;

const boardAfter = (...events: ClinicalEvent[]) =>
  projectInMemory([bedsProjection], events).get('beds')!.get(BED_BOARD_DOC_ID) as BedBoardDoc | undefined;

const reserve = (sagaId: string, patientId: string, bed: string) =>
  event('bed_reserved', patientId, {
    sagaId,
    ward: 'Maternity',
    bed,
    reservedAt: '2026-11-26T08:00:00.000Z',
    expiresAt: '2026-11-26T08:10:00.000Z',
  });
const admit = (patientId: string, encounterId: string, bed: string) =>
  event('patient_admitted', patientId, {
    encounterId,
    ward: 'Maternity',
    bed,
    admittedAt: '2026-11-26T08:00:01.000Z',
  });

describe('the bed board', () => {
  it('holds a bed reserved by a saga, with the saga and the expiry', () => {
    expect(boardAfter(reserve('s-1', 'p-1', 'M1'))?.holds).toEqual([
      expect.objectContaining({
        ward: 'Maternity',
        bed: 'M1',
        state: 'reserved',
        patientId: 'p-1',
        sagaId: 's-1',
        expiresAt: '2026-11-26T08:10:00.000Z',
      }),
    ]);
  });

  it('turns the reservation into occupancy when the patient is admitted to it', () => {
    const [hold] = boardAfter(reserve('s-1', 'p-1', 'M1'), admit('p-1', 'enc-1', 'M1'))!.holds;
    expect(hold).toMatchObject({ state: 'occupied', patientId: 'p-1', encounterId: 'enc-1', sagaId: 's-1' });
    expect(hold).not.toHaveProperty('expiresAt');
  });

  it("frees a bed released by the saga that reserved it, and only by that saga's release", () => {
    const released = event('bed_released', 'p-1', {
      sagaId: 's-1',
      ward: 'Maternity',
      bed: 'M1',
      reason: 'saga_compensation',
      releasedAt: '2026-11-26T08:00:02.000Z',
    });
    expect(boardAfter(reserve('s-1', 'p-1', 'M1'), released)?.holds).toEqual([]);
    const strayRelease = { ...released, data: { ...released.data, sagaId: 's-other' } } as ClinicalEvent;
    expect(boardAfter(reserve('s-1', 'p-1', 'M1'), strayRelease)?.holds).toHaveLength(1);
  });

  it('moves the patient on a transfer: the old bed free, the new one occupied', () => {
    const transfer = event('patient_transferred', 'p-1', {
      encounterId: 'enc-1',
      fromWard: 'Maternity',
      fromBed: 'M1',
      toWard: 'Ward A',
      toBed: 'A3',
      transferredAt: '2026-11-26T09:00:00.000Z',
    });
    expect(boardAfter(admit('p-1', 'enc-1', 'M1'), transfer)?.holds).toEqual([
      expect.objectContaining({ ward: 'Ward A', bed: 'A3', state: 'occupied', encounterId: 'enc-1' }),
    ]);
  });

  it('frees the bed on discharge, and leaves the other patients where they are', () => {
    const discharge = event('patient_discharged', 'p-1', {
      encounterId: 'enc-1',
      disposition: 'home',
      dischargedAt: '2026-11-27T08:00:00.000Z',
    });
    const holds = boardAfter(admit('p-1', 'enc-1', 'M1'), admit('p-2', 'enc-2', 'M2'), discharge)!.holds;
    expect(holds.map((hold) => hold.bed)).toEqual(['M2']);
  });

  it('frees the bed when the encounter is closed without a discharge (transferred out)', () => {
    const closed = event('encounter_closed', 'p-1', {
      encounterId: 'enc-1',
      reason: 'transferred_out',
      closedAt: '2026-11-27T08:00:00.000Z',
    });
    expect(boardAfter(admit('p-1', 'enc-1', 'M1'), closed)?.holds).toEqual([]);
  });
});
