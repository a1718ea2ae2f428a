import { describe, expect, it } from 'vitest';
import { readingPatient } from '../../../gateway/broker/readingPatient.ts';

const registered = (patientId: string) => patientId === 'p-registered';

describe('whose reading it is', () => {
  it("is the bound patient's for a bound device, whether or not the payload repeats it", () => {
    expect(readingPatient(undefined, 'p-bed-3', registered)).toEqual({ ok: true, patientId: 'p-bed-3' });
    expect(readingPatient('p-bed-3', 'p-bed-3', registered)).toEqual({ ok: true, patientId: 'p-bed-3' });
  });

  it('is refused when a bound device names another patient, even a registered one', () => {
    expect(readingPatient('p-registered', 'p-bed-3', registered)).toMatchObject({
      ok: false,
      issue: { field: '/patientId', rule: 'binding' },
    });
  });

  it('is the named patient for an unbound device only if that patient is registered here', () => {
    expect(readingPatient('p-registered', undefined, registered)).toEqual({
      ok: true,
      patientId: 'p-registered',
    });
    expect(readingPatient('p-nobody', undefined, registered)).toMatchObject({
      ok: false,
      issue: { rule: 'registered' },
    });
  });

  it("is nobody's for an unbound device that names no patient", () => {
    expect(readingPatient(undefined, undefined, registered)).toEqual({ ok: true });
  });
});
