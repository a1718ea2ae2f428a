import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { BED_BOARD_DOC_ID, bedsProjection } from '../../../gateway/projections/beds.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const build = eventBuilder({ start: '2026-11-26T08:00:00.000Z', stepSeconds: 1 });
const beds = projectionSpec(bedsProjection);
const holdsAfter = (...events: ClinicalEvent[]) => beds.given(...events).doc(BED_BOARD_DOC_ID).holds;

const reserve = (sagaId: string, patientId: string, bed: string) =>
  build.bedReserved({ sagaId, ward: 'Maternity', bed, expiresAt: '2026-11-26T08:10:00.000Z' }, { patientId });
const admit = (patientId: string, encounterId: string, bed: string) =>
  build.patientAdmitted({ encounterId, ward: 'Maternity', bed }, { patientId });

describe('the bed board', () => {
  it('holds a bed reserved by a saga, with the saga and the expiry', () => {
    expect(holdsAfter(reserve('s-1', 'p-1', 'M1'))).toEqual([
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
    const [hold] = holdsAfter(reserve('s-1', 'p-1', 'M1'), admit('p-1', 'enc-1', 'M1'));
    expect(hold).toMatchObject({ state: 'occupied', patientId: 'p-1', encounterId: 'enc-1', sagaId: 's-1' });
    expect(hold).not.toHaveProperty('expiresAt');
  });

  it("frees a bed released by the saga that reserved it, and only by that saga's release", () => {
    const release = (sagaId: string) =>
      build.bedReleased({ sagaId, ward: 'Maternity', bed: 'M1' }, { patientId: 'p-1' });
    expect(holdsAfter(reserve('s-1', 'p-1', 'M1'), release('s-1'))).toEqual([]);
    expect(holdsAfter(reserve('s-1', 'p-1', 'M1'), release('s-other'))).toHaveLength(1);
  });

  it('moves the patient on a transfer: the old bed free, the new one occupied', () => {
    const transfer = build.patientTransferred(
      { encounterId: 'enc-1', fromWard: 'Maternity', fromBed: 'M1', toWard: 'Ward A', toBed: 'A3' },
      { patientId: 'p-1' },
    );
    expect(holdsAfter(admit('p-1', 'enc-1', 'M1'), transfer)).toEqual([
      expect.objectContaining({ ward: 'Ward A', bed: 'A3', state: 'occupied', encounterId: 'enc-1' }),
    ]);
  });

  it('frees the bed on discharge, and leaves the other patients where they are', () => {
    const discharge = build.patientDischarged({ encounterId: 'enc-1' }, { patientId: 'p-1' });
    const holds = holdsAfter(admit('p-1', 'enc-1', 'M1'), admit('p-2', 'enc-2', 'M2'), discharge);
    expect(holds.map((hold) => hold.bed)).toEqual(['M2']);
  });

  it('frees the bed when the encounter is closed without a discharge (transferred out)', () => {
    const closed = build.encounterClosed(
      { encounterId: 'enc-1', reason: 'transferred_out' },
      { patientId: 'p-1' },
    );
    expect(holdsAfter(admit('p-1', 'enc-1', 'M1'), closed)).toEqual([]);
  });
});
