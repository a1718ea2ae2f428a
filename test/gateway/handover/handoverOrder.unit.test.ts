import { describe, expect, it } from 'vitest';
import { byWardAndBed } from '../../../gateway/handover/handoverOrder.ts';
import type { HandoverPatient } from '../../../gateway/http/apiContract.ts';

const at = (patientId: string, ward?: string, bed?: string) =>
  ({ patientId, ...(ward ? { ward } : {}), ...(bed ? { bed } : {}) }) as HandoverPatient;

describe('the order of the handover', () => {
  it('walks the wards and beds as configured, then wards no longer configured, then patients without a bed', () => {
    const wards = [
      { name: 'Ward A', beds: ['A1', 'A2', 'A10'] },
      { name: 'Maternity', beds: ['M1', 'M2'] },
    ];
    const patients = [
      at('p-none'),
      at('p-old', 'Old ward', 'O1'),
      at('p-m2', 'Maternity', 'M2'),
      at('p-a10', 'Ward A', 'A10'),
      at('p-m1', 'Maternity', 'M1'),
      at('p-a2', 'Ward A', 'A2'),
    ];
    expect(patients.sort(byWardAndBed(wards)).map((patient) => patient.patientId)).toEqual([
      'p-a2',
      'p-a10',
      'p-m1',
      'p-m2',
      'p-old',
      'p-none',
    ]);
  });
});
